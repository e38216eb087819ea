using Megafon.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// What one fixture's Functions host owns alone, kept across its restarts: a free port, a secrets
/// folder (its keys), a log folder; and the environment it starts with. Nothing is shared with
/// another fixture or another test run.
/// </summary>
internal sealed class FunctionsHostSandbox : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("functions-host-").FullName;

    public int Port { get; } = FreePorts.Next();

    public string Secrets => Directory.CreateDirectory(Path.Combine(_root, "secrets")).FullName;

    /// <summary>
    /// App settings as Azure passes them, environment variables with <c>__</c> for <c>:</c>. The
    /// DevHost's own settings are left out: the host has its keys in the secrets folder and reads
    /// host.json from the app folder. With queue triggers off, each queue-triggered function is
    /// disabled the way an Azure app setting disables it.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string?> settings, bool runQueueTriggers)
    {
        var environment = settings
            .Where(s => s.Value is not null && !s.Key.StartsWith("DevHost:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["FUNCTIONS_LOG_PATH"] = Directory.CreateDirectory(Path.Combine(_root, "logs")).FullName;

        // Each console entry stamped by the host as it logs it (UTC), in both of its loggers (the
        // web host's and the script host's, whose logging section is host.json's): a line reaches
        // the test late, and in bursts, on a busy machine, so when it was read says little. The
        // formatter is named, else the console logger's older options (no timestamp) override these.
        foreach (var section in (string[])["Logging", "AzureFunctionsJobHost__logging"])
        {
            environment[$"{section}__Console__FormatterName"] = "simple";
            environment[$"{section}__Console__FormatterOptions__TimestampFormat"] = FunctionsHostProcess.TimestampFormat;
            environment[$"{section}__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        }
        if (!runQueueTriggers)
        {
            var app = FunctionsHostTool.AppFolder(FunctionsHostTool.CurrentConfiguration);
            foreach (var function in FunctionsHostTool.FunctionsWithTrigger(app, "queueTrigger"))
            {
                environment[$"AzureWebJobs.{function}.Disabled"] = "true";
            }
        }

        return environment;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
