using System.Globalization;
using Megafon.Testing;

namespace Megafon.Bench.Load;

/// <summary>Starts src/DevHost (Release build) as its own process, configured by environment as run-local.sh does.</summary>
internal static class DevHost
{
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartAsync(
        string name, string storageConnection, Uri elma365Webhook, Uri vatsEndpoint, bool runQueueTriggers, IDictionary<string, string>? settings = null)
    {
        if (!File.Exists(Repo.DevHostDll))
        {
            throw new InvalidOperationException($"{Repo.DevHostDll} is missing: build with 'dotnet build bench/Megafon.Bench.Load -c Release' (it builds the DevHost too).");
        }

        var port = FreePorts.Next();
        var environment = BridgeSettings.For(storageConnection, elma365Webhook, vatsEndpoint);
        environment["DevHost__FunctionKey"] = Keys.FunctionKey;
        environment["DevHost__MasterKey"] = Keys.MasterKey;
        environment["DevHost__RunQueueTriggers"] = runQueueTriggers ? "true" : "false";
        environment["DevHost__HostJsonPath"] = Repo.HostJson;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        // From its own folder, as a published app runs. (Its logging no longer depends on the folder:
        // AddMegafonBridge keeps ASP.NET Core's and Azure.Core's per-request logs at Warning anywhere.)
        var process = ChildProcess.StartDotnet(name, Repo.DevHostDll, ["--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], environment, Path.GetDirectoryName(Repo.DevHostDll));
        await Ports.WaitListeningAsync(port, TimeSpan.FromSeconds(60), process);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        await WarmUpIntakeAsync(new Uri(baseAddress, "api/vats/webhook"), process);
        return (process, baseAddress);
    }

    /// <summary>Waits until the intake queues a webhook (storage initialised), then sends a few more to warm it up.</summary>
    public static async Task WarmUpIntakeAsync(Uri webhook, ChildProcess process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var ok = 0;
        for (var i = 0; ok < 20; i++)
        {
            using var content = new ByteArrayContent(Webhooks.Incoming($"warmup-{Environment.ProcessId}-{DateTime.UtcNow:HHmmss}-{i}"));
            content.Headers.ContentType = new(Webhooks.FormContentType);
            using var response = await http.PostAsync(webhook, content);
            if (response.IsSuccessStatusCode)
            {
                ok++;
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{process.Name} answers {(int)response.StatusCode} to a valid webhook; log {process.LogPath}:\n{process.Tail()}");
            }
            else
            {
                await Task.Delay(200);
            }
        }
    }
}
