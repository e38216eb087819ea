using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Megafon.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// The DevHost as a process of its own (src/DevHost's build output), configured through its
/// environment as in production (<c>Vats__Endpoint</c>): an instance a test can kill with SIGKILL
/// mid-work, which the in-process DevHost cannot be.
/// </summary>
internal sealed class DevHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _console = new();

    private DevHostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What it wrote to its console (its log lines), for a failure to be explained.</summary>
    public IReadOnlyList<string> Console => [.. _console];

    public static async Task<DevHostProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = FunctionsHostTool.CurrentConfiguration;
        var dll = Path.Combine(RepositoryFolder.Root, "src", "DevHost", "bin", configuration, "net10.0", "Megafon.DevHost.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build MegafonFunctions.sln -c {configuration}).");
        }

        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The DevHost did not start.");
        var host = new DevHostProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromMinutes(1), () => !process.HasExited);
        }
        catch
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"The DevHost did not listen on {port}; its console:\n{string.Join('\n', host.Console.TakeLast(40))}");
        }

        return host;
    }

    /// <summary>SIGKILL, as an instance dies when its machine goes: no shutdown, no message released.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _console.Enqueue(line);
        }
    }
}
