using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Megafon.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// The Azure Functions host as a child process (shared/functions-host/run.sh) over src/Functions'
/// build output, configured the way Azure configures it: app settings as environment variables
/// (<c>Vats__Endpoint</c>), keys from its own secrets folder. Its console is kept, parsed into
/// entries, and written to artifacts/test/functions-host/ for a failed run to be read.
/// </summary>
internal sealed partial class FunctionsHostProcess : IBridgeHost
{
    /// <summary>How the host's console stamps each entry (FunctionsHostSandbox sets it), a space after it.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly ConcurrentQueue<HostLogEntry> _entries = new();
    private readonly StreamWriter _file;
    private readonly object _parse = new();
    private (DateTimeOffset At, string Level, string Category, List<string> Lines)? _open;

    private FunctionsHostProcess(Process process, Uri baseAddress, string logFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
        _file = new StreamWriter(logFile, append: true) { AutoFlush = true };
    }

    public Uri BaseAddress { get; }

    public string LogFile { get; }

    public IReadOnlyList<HostLogEntry> Log
    {
        get
        {
            lock (_parse)
            {
                return [.. _entries, .. _open is { } open ? [Entry(open)] : Array.Empty<HostLogEntry>()];
            }
        }
    }

    /// <summary>
    /// Starts the host and returns once it reports "Running" and the app has created its queues
    /// and table (the worker's StorageInitializer), so a test can use both at once.
    /// </summary>
    public static async Task<FunctionsHostProcess> StartAsync(
        string name, int port, string secrets, string masterKey, string functionKey, IReadOnlyDictionary<string, string> environment, Func<Task<bool>> storageReady)
    {
        await FunctionsHostTool.EnsureBuiltAsync();
        var app = FunctionsHostTool.AppFolder(FunctionsHostTool.CurrentConfiguration);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                FunctionsHostTool.RunScript, "--app", app, "--port", port.ToString(CultureInfo.InvariantCulture),
                "--secrets", secrets, "--master-key", masterKey, "--function-key", functionKey,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = app,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var logs = Directory.CreateDirectory(Path.Combine(RepositoryFolder.Root, "artifacts", "test", "functions-host")).FullName;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The Functions host did not start.");
        var host = new FunctionsHostProcess(process, new Uri($"http://127.0.0.1:{port}/"), Path.Combine(logs, $"{name}-{port}.log"));
        process.OutputDataReceived += (_, e) => host.Read(e.Data);
        process.ErrorDataReceived += (_, e) => host.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await host.WaitUntilRunningAsync(masterKey, storageReady);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    private async Task WaitUntilRunningAsync(string masterKey, Func<Task<bool>> storageReady)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var state = "not answering";
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Functions host exited ({_process.ExitCode}) while starting; its console ({LogFile}):\n{Tail()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The Functions host was not ready within {StartTimeout} (host state: {state}); its console ({LogFile}):\n{Tail()}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "admin/host/status"));
                request.Headers.Add("x-functions-key", masterKey);
                using var response = await http.SendAsync(request);
                state = response.StatusCode == HttpStatusCode.OK
                    ? JsonNode.Parse(await response.Content.ReadAsStringAsync())?["state"]?.GetValue<string>() ?? "unknown"
                    : $"HTTP {(int)response.StatusCode}";
                if (state == "Running" && await storageReady())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        lock (_parse)
        {
            _file.WriteLine($"{now:HH:mm:ss.fff} {line}");

            // The host's console logger: "<UTC time> info: Category[EventId]" then the message indented by six spaces.
            if (line.StartsWith("      ", StringComparison.Ordinal) && _open is { } open)
            {
                open.Lines.Add(line[6..]);
                return;
            }

            Close();
            var header = Header().Match(line);
            if (header.Success)
            {
                var at = header.Groups["at"].Success
                    ? DateTimeOffset.ParseExact(header.Groups["at"].Value, TimestampFormat.TrimEnd(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : now;
                _open = (at, header.Groups["level"].Value, header.Groups["category"].Value, []);
            }
            else
            {
                _entries.Enqueue(new HostLogEntry(now, string.Empty, string.Empty, line));
            }
        }
    }

    private void Close()
    {
        if (_open is { } open)
        {
            _entries.Enqueue(Entry(open));
            _open = null;
        }
    }

    private static HostLogEntry Entry((DateTimeOffset At, string Level, string Category, List<string> Lines) open) =>
        new(open.At, open.Level, open.Category, string.Join('\n', open.Lines));

    private string Tail() => string.Join('\n', Log.TakeLast(40).Select(e => $"{e.Level} {e.Category} {e.Message}"));

    /// <summary>Stops the host as Azure would (SIGTERM: it drains and stops its worker); anything left is killed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The worker is the host's child; remember it, so it cannot outlive a host that is killed.
            var descendants = ProcessTree.Descendants(_process.Id);
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            ProcessTree.KillSurvivors(descendants);
        }

        _process.Dispose();
        lock (_parse)
        {
            Close();
            _file.Dispose();
        }
    }

    [GeneratedRegex(@"^(?:(?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) )?(?<level>trce|dbug|info|warn|fail|crit): (?<category>.+?)\[-?\d+\]$")]
    private static partial Regex Header();
}
