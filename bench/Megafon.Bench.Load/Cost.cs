using System.Globalization;

namespace Megafon.Bench.Load;

/// <summary>How the cost of intake and processing grows with the webhook rate: one end-to-end run per rate.</summary>
internal static class Cost
{
    public static async Task<int> RunAsync(IReadOnlyList<double> rates, TimeSpan duration, string mix, bool countOperations, string label, IDictionary<string, string> settings, TimeSpan? azuriteQueueGcInterval = null)
    {
        var rows = new List<Dictionary<string, object>>();
        foreach (var rate in rates)
        {
            var run = await EndToEnd.RunAsync(new EndToEndOptions(rate, duration, mix, Instrument: false, Label: $"{label}-{rate.ToString(CultureInfo.InvariantCulture)}", DevHostSettings: settings, DrainLimit: TimeSpan.FromSeconds(60), AzuriteQueueGcInterval: azuriteQueueGcInterval));
            Dictionary<string, object>? counted = null;
            if (countOperations)
            {
                // A shorter instrumented pass counts storage operations (the proxy adds a hop, so its latencies are not used).
                counted = await EndToEnd.RunAsync(new EndToEndOptions(rate, TimeSpan.FromSeconds(Math.Min(10, duration.TotalSeconds)), mix, Instrument: true, Label: $"{label}-{rate.ToString(CultureInfo.InvariantCulture)}-ops", DevHostSettings: settings, DrainLimit: TimeSpan.FromSeconds(60), AzuriteQueueGcInterval: azuriteQueueGcInterval));
            }

            rows.Add(new Dictionary<string, object> { ["rate"] = rate, ["run"] = run, ["operations"] = counted ?? new Dictionary<string, object>() });
        }

        Console.WriteLine(Report.Table(
            ["webhooks/s offered", "delivered/s", "backlog when sending ended", "missing after 60 s", "bridge cores busy", "bridge CPU ms/webhook (beyond idle)", "Azurite CPU ms/webhook (beyond idle)", "storage ops/webhook", "INCOMING e2e p50 / p99 ms", "bridge RSS max MiB"],
            rows.Select(r =>
            {
                var run = (Dictionary<string, object>)r["run"];
                var cpu = (Dictionary<string, double>)run["cpu_seconds"];
                var perWebhook = (Dictionary<string, double>)run["cpu_ms_per_webhook"];
                var incoming = (Dictionary<string, double>)((Dictionary<string, object>)((Dictionary<string, object>)run["by_type"])["INCOMING"])["end_to_end"];
                var ops = ((Dictionary<string, object>)r["operations"]).GetValueOrDefault("storage_operations_per_webhook");
                return new[]
                {
                    run["offered_rate_per_s"].ToString()!, run["delivered_rate_per_s"].ToString()!, run["queue_backlog_when_sending_ended"].ToString()!, run["missing"].ToString()!,
                    Report.F(cpu["bridge"] / cpu["wall"], 2),
                    $"{perWebhook["bridge"].ToString(CultureInfo.InvariantCulture)} ({perWebhook["bridge_beyond_idle"].ToString(CultureInfo.InvariantCulture)})",
                    $"{perWebhook["azurite"].ToString(CultureInfo.InvariantCulture)} ({perWebhook["azurite_beyond_idle"].ToString(CultureInfo.InvariantCulture)})",
                    ops?.ToString() ?? "–", $"{incoming["p50_ms"]} / {incoming["p99_ms"]}", ((Dictionary<string, double>)run["bridge_rss_mib"])["max_during_load"].ToString(CultureInfo.InvariantCulture),
                };
            })));
        Report.Write($"cost-{label}", rows);
        return 0;
    }
}
