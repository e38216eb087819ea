using System.Diagnostics;
using System.Text.Json;

namespace Megafon.Testing;

/// <summary>
/// The real Azure Functions host, built from source by <c>shared/functions-host</c> beside the
/// repository (its README): where that tool is, building the host once, and the app folder it runs.
/// </summary>
internal static class FunctionsHostTool
{
    /// <summary>Overrides where the tool (the folder holding run.sh and build.sh) is.</summary>
    public const string DirectoryVariable = "FUNCTIONS_HOST_DIR";

    private static readonly Lazy<string> Found = new(Find);
    private static readonly Lazy<Task<string>> Build = new(BuildAsync);

    /// <summary>
    /// The tool's folder: <c>$FUNCTIONS_HOST_DIR</c>, else <c>shared/functions-host</c> in the
    /// repository's parent folder or the nearest folder above it that has one (a git worktree
    /// sits deeper than the main clone).
    /// </summary>
    public static string Folder => Found.Value;

    public static string RunScript => Path.Combine(Folder, "run.sh");

    /// <summary>The Functions app's build output in the configuration these tests were built in.</summary>
    public static string AppFolder(string configuration)
    {
        var folder = Path.Combine(RepositoryFolder.Root, "src", "Functions", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(folder, "functions.metadata")))
        {
            throw new InvalidOperationException($"{folder} holds no functions.metadata: build the solution first (dotnet build MegafonFunctions.sln -c {configuration}).");
        }

        return folder;
    }

    /// <summary>Release or Debug: the configuration of the running test or bench assembly's build folder.</summary>
    public static string CurrentConfiguration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    /// <summary>Names of the app's functions with a trigger of this type ("queueTrigger", "timerTrigger"), from functions.metadata.</summary>
    public static IReadOnlyList<string> FunctionsWithTrigger(string appFolder, string triggerType)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(appFolder, "functions.metadata")));
        return [.. metadata.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => string.Equals(b.GetProperty("type").GetString(), triggerType, StringComparison.OrdinalIgnoreCase)))
            .Select(f => f.GetProperty("name").GetString()!)];
    }

    /// <summary>Builds the host once per process (build.sh: ~0.1 s when built, ~1.5 min from nothing); returns its folder.</summary>
    public static Task<string> EnsureBuiltAsync() => Build.Value;

    private static async Task<string> BuildAsync()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Folder, "build.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.Combine(Folder, "build.sh")} failed (exit {process.ExitCode}):\n{await errors}");
        }

        return (await output).Trim();
    }

    private static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "run.sh"))
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"{DirectoryVariable}={configured} holds no run.sh.");
        }

        var looked = new List<string>();
        for (var dir = new DirectoryInfo(RepositoryFolder.Root).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "functions-host");
            looked.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "run.sh")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The Azure Functions host tool (run.sh, build.sh) was not found in {string.Join(", ", looked)}; set {DirectoryVariable} to its folder.");
    }
}
