using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Megafon.Infra.Tests;

/// <summary>What one bicep run printed.</summary>
internal sealed record BicepRun(string Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>
    /// Compiler and linter diagnostics, one per line: <c>file(line,col) : Error|Warning|Info code: message</c>.
    /// </summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => BicepCli.DiagnosticLine().IsMatch(line))
            .ToList();

    /// <summary>Everything bicep said, for assertion messages.</summary>
    public string Report =>
        $"bicep {Arguments} exited {ExitCode}.{Environment.NewLine}--- stderr ---{Environment.NewLine}{StandardError.TrimEnd()}{Environment.NewLine}--- end ---";
}

/// <summary>
/// Runs the Bicep CLI that the <c>Azure.Bicep.CommandLine.linux-x64</c> package brings. Its path is
/// written into this assembly at build time (AssemblyMetadata "BicepPath"); the environment
/// variable <c>BICEP_PATH</c> overrides it, e.g. on a machine of another platform.
/// </summary>
internal static partial class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> ExecutablePath = new(Locate);

    [GeneratedRegex(@"\(\d+,\d+\)\s*:\s*(Error|Warning|Info)\s", RegexOptions.CultureInvariant)]
    internal static partial Regex DiagnosticLine();

    public static string Executable => ExecutablePath.Value;

    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrWhiteSpace(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        }

        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The bicep executable was not found at '{path}'. It comes from the Azure.Bicep.CommandLine.linux-x64 package (restore the test project), or set BICEP_PATH.");
        }

        // NuGet does not always keep the execute bit when it extracts a package.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }

        return path;
    }
}
