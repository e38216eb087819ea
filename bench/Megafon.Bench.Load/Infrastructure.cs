using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Megafon.Testing;

namespace Megafon.Bench.Load;

/// <summary>Where things are in the repository.</summary>
internal static class Repo
{
    public static string Root => RepositoryFolder.Root;

    public static string DevHostDll => Path.Combine(Root, "src", "DevHost", "bin", "Release", "net10.0", "Megafon.DevHost.dll");

    public static string HostJson => Path.Combine(Root, "host.json");

    public static string Azurite => Path.Combine(Root, "node_modules", ".bin", "azurite");

    /// <summary>Where result JSON goes: bench/results (kept with the README), or elsewhere for the quick variant.</summary>
    public static string ResultsDir => Directory.CreateDirectory(ResultsOverride ?? Path.Combine(Root, "bench", "results")).FullName;

    /// <summary>Process logs and traces: artifacts/bench (ignored by git).</summary>
    public static string LogsDir => Directory.CreateDirectory(Path.Combine(ArtifactsDir, "logs")).FullName;

    public static string ArtifactsDir => Directory.CreateDirectory(ArtifactsOverride ?? Path.Combine(Root, "artifacts", "bench")).FullName;

    public static string? ResultsOverride { get; set; }

    public static string? ArtifactsOverride { get; set; }

    public static string WrkScript => Path.Combine(Root, "bench", "wrk", "webhook.lua");
}

internal static class Ports
{
    /// <summary>Waits for <paramref name="owner"/> to listen on <paramref name="port"/>; on failure shows the end of its log.</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, ChildProcess owner)
    {
        try
        {
            await FreePorts.WaitUntilListeningAsync(port, timeout, () => !owner.HasExited);
        }
        catch (Exception e) when (e is InvalidOperationException or SocketException)
        {
            throw new InvalidOperationException($"{owner.Name} does not listen on 127.0.0.1:{port}: {e.Message}; log: {owner.LogPath}\n{owner.Tail()}", e);
        }
    }
}

/// <summary>A process this harness started (and alone stops), its output in a log file, its CPU and memory from /proc.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var logPath = Path.Combine(Repo.LogsDir, $"{name}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var child = new ChildProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        Start(name, "dotnet", [dll, .. arguments], environment, workingDirectory);

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    public string Tail(int lines = 30)
    {
        lock (_log)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    // The process and the processes it started: the Functions host runs the app in a worker process of its own.
    private IEnumerable<int> Tree => [_process.Id, .. Proc.Descendants(_process.Id)];

    /// <summary>User + system CPU seconds used so far by this process and its children (a host's worker).</summary>
    public double CpuSeconds() => Tree.Sum(Proc.CpuSeconds);

    /// <summary>Resident set size now, in MiB, of this process and its children.</summary>
    public double RssMiB() => Tree.Sum(id => Proc.StatusKiB(id, "VmRSS:")) / 1024.0;

    /// <summary>Peak resident set size since start, in MiB: the sum of each process's own peak.</summary>
    public double PeakRssMiB() => Tree.Sum(id => Proc.StatusKiB(id, "VmHWM:")) / 1024.0;

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static class Proc
    {
        public static double CpuSeconds(int pid)
        {
            var fields = Stat(pid);
            // Fields after the command: state is [0], utime [11], stime [12] (man 5 proc: fields 14 and 15).
            return fields is null ? 0 : (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }

        public static List<int> Descendants(int root)
        {
            var parents = new Dictionary<int, int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Stat(id) is { } fields)
                {
                    parents[id] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }

            var found = new List<int>();
            for (var i = -1; i < found.Count; i++)
            {
                var parent = i < 0 ? root : found[i];
                found.AddRange(parents.Where(p => p.Value == parent).Select(p => p.Key));
            }

            return found;
        }

        // A process that has just exited has no /proc entry left: it counts as nothing.
        private static string[]? Stat(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static double StatusKiB(int pid, string key)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith(key, StringComparison.Ordinal))
                    {
                        return double.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return 0;
            }

            return 0;
        }
    }
}

/// <summary>Azurite from the project's node_modules, in memory, on free loopback ports.</summary>
internal sealed class Azurite : IAsyncDisposable
{
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Azurite(ChildProcess process, int blobPort, int queuePort, int tablePort)
    {
        Process = process;
        QueuePort = queuePort;
        TablePort = tablePort;
        BlobPort = blobPort;
    }

    public ChildProcess Process { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString => ConnectionStringFor(QueuePort, TablePort);

    public string ConnectionStringFor(int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{DevAccount};QueueEndpoint=http://127.0.0.1:{queuePort}/{DevAccount};TableEndpoint=http://127.0.0.1:{tablePort}/{DevAccount};";

    /// <summary>
    /// Starts Azurite in memory. <paramref name="queueGcInterval"/> replaces the 60 s between its queue
    /// sweeps (bench/azurite/queue-gc-interval.cjs); <paramref name="debugLog"/> keeps its debug log,
    /// where each sweep reports how long it took.
    /// </summary>
    public static async Task<Azurite> StartAsync(string name = "azurite", TimeSpan? queueGcInterval = null, bool debugLog = false)
    {
        if (!File.Exists(Repo.Azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {Repo.Azurite}: run 'npm ci' in {Repo.Root}.");
        }

        int blob = FreePorts.Next(), queue = FreePorts.Next(), table = FreePorts.Next();
        var process = ChildProcess.Start(name, Repo.Azurite,
        [
            "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
            .. debugLog ? ["--debug", Path.Combine(Repo.LogsDir, $"{name}-debug.log")] : Array.Empty<string>(),
        ],
        queueGcInterval is { } interval
            ? new Dictionary<string, string>
            {
                ["NODE_OPTIONS"] = $"--require {Path.Combine(Repo.Root, "bench", "azurite", "queue-gc-interval.cjs")}",
                ["AZURITE_QUEUE_GC_INTERVAL_MS"] = ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            }
            : null);
        await Ports.WaitListeningAsync(queue, TimeSpan.FromSeconds(60), process);
        await Ports.WaitListeningAsync(table, TimeSpan.FromSeconds(60), process);
        return new Azurite(process, blob, queue, table);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
