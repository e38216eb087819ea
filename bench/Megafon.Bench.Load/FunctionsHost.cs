using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Megafon.Testing;

namespace Megafon.Bench.Load;

/// <summary>Which host serves the bridge under test.</summary>
internal enum BridgeHostKind
{
    /// <summary>src/DevHost (Release), its own process.</summary>
    DevHost,

    /// <summary>The Azure Functions host (shared/functions-host/run.sh) over src/Functions' Release build, its own process plus the worker.</summary>
    FunctionsHost,
}

internal static class BridgeHosts
{
    public static BridgeHostKind Parse(string name) => name switch
    {
        "devhost" => BridgeHostKind.DevHost,
        "functions-host" => BridgeHostKind.FunctionsHost,
        _ => throw new ArgumentException($"--host is devhost or functions-host, not '{name}'."),
    };

    public static string Name(this BridgeHostKind kind) => kind == BridgeHostKind.DevHost ? "devhost" : "functions-host";

    public static Task<(ChildProcess Process, Uri BaseAddress)> StartAsync(
        BridgeHostKind kind, string name, string storageConnection, Uri elma365Webhook, Uri vatsEndpoint, bool runQueueTriggers, IDictionary<string, string>? settings = null) =>
        kind == BridgeHostKind.DevHost
            ? DevHost.StartAsync(name, storageConnection, elma365Webhook, vatsEndpoint, runQueueTriggers, settings)
            : FunctionsHost.StartAsync(name, storageConnection, elma365Webhook, vatsEndpoint, runQueueTriggers, settings);
}

/// <summary>
/// Starts the Azure Functions host (run.sh) over src/Functions' Release build, configured as in
/// Azure: app settings as environment variables, keys in a secrets folder of its own, and the
/// Production environment (no console log per request, as in Azure, where the host logs to
/// Application Insights; the DevHost's console keeps its own per-webhook line).
/// </summary>
internal static class FunctionsHost
{
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartAsync(
        string name, string storageConnection, Uri elma365Webhook, Uri vatsEndpoint, bool runQueueTriggers, IDictionary<string, string>? settings = null)
    {
        await FunctionsHostTool.EnsureBuiltAsync();
        var app = FunctionsHostTool.AppFolder(FunctionsHostTool.CurrentConfiguration);
        var port = FreePorts.Next();
        var secrets = Directory.CreateDirectory(Path.Combine(Repo.ArtifactsDir, "functions-host", name, "secrets")).FullName;
        var environment = BridgeSettings.For(storageConnection, elma365Webhook, vatsEndpoint);
        environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["FUNCTIONS_LOG_PATH"] = Directory.CreateDirectory(Path.Combine(Repo.ArtifactsDir, "functions-host", name, "logs")).FullName;
        if (!runQueueTriggers)
        {
            foreach (var function in FunctionsHostTool.FunctionsWithTrigger(app, "queueTrigger"))
            {
                environment[$"AzureWebJobs.{function}.Disabled"] = "true";
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(name, "bash",
        [
            FunctionsHostTool.RunScript, "--app", app, "--port", port.ToString(CultureInfo.InvariantCulture), "--secrets", secrets,
            "--master-key", Keys.MasterKey, "--function-key", Keys.FunctionKey,
        ], environment, app);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await WaitUntilRunningAsync(baseAddress, process);
        await DevHost.WarmUpIntakeAsync(new Uri(baseAddress, "api/vats/webhook"), process);
        return (process, baseAddress);
    }

    private static async Task WaitUntilRunningAsync(Uri baseAddress, ChildProcess process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The Functions host did not reach Running; log {process.LogPath}:\n{process.Tail()}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "admin/host/status"));
                request.Headers.Add("x-functions-key", Keys.MasterKey);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(await response.Content.ReadAsStringAsync())?["state"]?.GetValue<string>() == "Running")
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
}
