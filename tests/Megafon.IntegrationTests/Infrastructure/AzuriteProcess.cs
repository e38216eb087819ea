using Megafon.Testing;
using System.Diagnostics;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// A real Azurite (from the project's node_modules) on free loopback ports. Data lives on disk
/// in a temporary folder, so a restart keeps the queues, as a real storage account would.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account; it exists only inside Azurite.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private readonly int _blobPort = FreePorts.Next();
    private readonly int _queuePort = FreePorts.Next();
    private readonly int _tablePort = FreePorts.Next();
    private Process? _process;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_blobPort}/{DevAccount};QueueEndpoint=http://127.0.0.1:{_queuePort}/{DevAccount};TableEndpoint=http://127.0.0.1:{_tablePort}/{DevAccount};";

    public static async Task<AzuriteProcess> StartAsync()
    {
        var azurite = new AzuriteProcess();
        await azurite.StartAgainAsync();
        return azurite;
    }

    public async Task StartAgainAsync()
    {
        var executable = Path.Combine(RepositoryFolder.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run 'npm ci' in {RepositoryFolder.Root}.");
        }

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                "--location", _location,
                "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", _tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePorts.WaitUntilListeningAsync(_queuePort, TimeSpan.FromSeconds(30));
        await FreePorts.WaitUntilListeningAsync(_tablePort, TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops Azurite; gracefully (SIGTERM, data flushed) like an outage that loses no acknowledged write.</summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (_process is { HasExited: false } process)
        {
            if (graceful)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // Did not stop in time: stop it hard below.
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
