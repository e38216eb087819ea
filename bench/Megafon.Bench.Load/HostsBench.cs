using System.Globalization;

namespace Megafon.Bench.Load;

internal sealed record HostsOptions(
    double Rate,
    TimeSpan Duration,
    TimeSpan IdleDuration,
    (double Min, double Max) IdleGapSeconds,
    int IntakeConcurrency,
    TimeSpan IntakeDuration,
    int IntakeRounds,
    string Driver,
    string Label,
    IDictionary<string, string> Settings,
    TimeSpan? AzuriteQueueGcInterval = null,
    TimeSpan? Warmup = null,
    TimeSpan? IntakeWarmup = null);

/// <summary>
/// The DevHost and the Azure Functions host side by side, one after the other in one run, each with
/// its own Azurite and simulators: end to end at a steady rate, a quiet line (one ring every few
/// seconds: how soon the popup shows), and the intake against raw enqueue. Writes
/// results/hosts-{label}.json (and each step's own file) and prints the comparison.
/// </summary>
internal static class HostsBench
{
    private static readonly BridgeHostKind[] Hosts = [BridgeHostKind.DevHost, BridgeHostKind.FunctionsHost];

    public static async Task<Dictionary<string, object>> RunAsync(HostsOptions o)
    {
        var startedAt = DateTimeOffset.Now;
        var loadBefore = Report.LoadAverage();
        var steady = new Dictionary<BridgeHostKind, Dictionary<string, object>>();
        var idle = new Dictionary<BridgeHostKind, Dictionary<string, object>>();
        var intake = new Dictionary<BridgeHostKind, Dictionary<string, object>>();

        foreach (var host in Hosts)
        {
            steady[host] = await EndToEnd.RunAsync(new EndToEndOptions(o.Rate, o.Duration, "incoming", Instrument: false, Label: $"{o.Label}-steady-{host.Name()}",
                DevHostSettings: o.Settings, AzuriteQueueGcInterval: o.AzuriteQueueGcInterval, Warmup: o.Warmup, Host: host));
        }

        foreach (var host in Hosts)
        {
            idle[host] = await EndToEnd.RunAsync(new EndToEndOptions(1, o.IdleDuration, "idle", Instrument: false, Label: $"{o.Label}-idle-{host.Name()}",
                DevHostSettings: o.Settings, AzuriteQueueGcInterval: o.AzuriteQueueGcInterval, Warmup: o.Warmup, Host: host, IdleGapSeconds: o.IdleGapSeconds));
        }

        foreach (var host in Hosts)
        {
            intake[host] = await IntakeBench.MeasureAllAsync([o.IntakeConcurrency], o.IntakeDuration, o.Driver, $"{o.Label}-{host.Name()}", o.Settings, o.IntakeWarmup, o.IntakeRounds, host);
        }

        static Dictionary<string, double> Incoming(Dictionary<string, object> run) =>
            (Dictionary<string, double>)((Dictionary<string, object>)((Dictionary<string, object>)run["by_type"])["INCOMING"])["end_to_end"];
        static Dictionary<string, object> IntakeRow(Dictionary<string, object> summary) => ((List<Dictionary<string, object>>)summary["rows"])[0];

        var table = Report.Table(
            ["", "DevHost", "Functions host"],
            [
                Row($"INCOMING end to end at {o.Rate}/s for {o.Duration.TotalSeconds} s: p50 / p95 / p99 ms", h => $"{Incoming(steady[h])["p50_ms"]} / {Incoming(steady[h])["p95_ms"]} / {Incoming(steady[h])["p99_ms"]}"),
                Row("  delivered / missing / send errors", h => $"{Incoming(steady[h])["count"]} / {steady[h]["missing"]} / {steady[h]["send_errors"]}"),
                Row("  bridge CPU ms per webhook; RSS max MiB", h => $"{((Dictionary<string, double>)steady[h]["cpu_ms_per_webhook"])["bridge"]}; {((Dictionary<string, double>)steady[h]["bridge_rss_mib"])["max_during_load"]}"),
                Row($"idle line, one ring every {o.IdleGapSeconds.Min}–{o.IdleGapSeconds.Max} s for {o.IdleDuration.TotalSeconds} s: popup p50 / p99 / max ms", h => $"{Incoming(idle[h])["p50_ms"]} / {Incoming(idle[h])["p99_ms"]} / {Incoming(idle[h])["max_ms"]}"),
                Row("  rings delivered / missing; bridge CPU over the run (share of a core)", h => $"{Incoming(idle[h])["count"]} / {idle[h]["missing"]}; {CoreShare(idle[h]):P1}"),
                Row($"intake ÷ raw enqueue at concurrency {o.IntakeConcurrency} (rounds)", h => $"{(double)IntakeRow(intake[h])["intake_vs_raw"]:P0} ({string.Join(" / ", ((List<double>)IntakeRow(intake[h])["intake_vs_raw_all_rounds"]).Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))})"),
                Row("  intake webhooks/s (p50 / p99 ms); raw enqueue msg/s", h =>
                {
                    var i = (LoadResult)IntakeRow(intake[h])["intake"];
                    var r = (LoadResult)IntakeRow(intake[h])["raw_enqueue"];
                    return $"{Report.F(i.PerSecond, 0)} ({i.Latency["p50_ms"]} / {i.Latency["p99_ms"]}); {Report.F(r.PerSecond, 0)}";
                }),
                Row("  bridge CPU ms per webhook (intake)", h => IntakeRow(intake[h])["bridge_cpu_ms_per_webhook"].ToString()!),
            ]);
        Console.WriteLine();
        Console.WriteLine($"hosts [{o.Label}]: DevHost and Functions host side by side");
        Console.WriteLine(table);

        var failed = Hosts.Any(h => (int)steady[h]["missing"] > 0 || (int)steady[h]["send_errors"] > 0 || (int)idle[h]["missing"] > 0 || (int)idle[h]["send_errors"] > 0 || (bool)intake[h]["failed"]);
        var summary = new Dictionary<string, object>
        {
            ["what"] = "DevHost and Functions host side by side: end to end at a steady rate, an idle line, intake vs raw enqueue",
            ["date"] = startedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            ["machine"] = Report.Machine(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = Report.LoadAverage(),
            ["failed"] = failed,
            ["table"] = table,
            ["steady"] = Hosts.ToDictionary(h => h.Name(), h => (object)Pick(steady[h])),
            ["idle"] = Hosts.ToDictionary(h => h.Name(), h => (object)Pick(idle[h])),
            ["intake"] = Hosts.ToDictionary(h => h.Name(), h => (object)IntakeRow(intake[h])),
            ["files"] = Hosts.SelectMany(h => new[] { $"e2e-{o.Label}-steady-{h.Name()}.json", $"e2e-{o.Label}-idle-{h.Name()}.json", $"intake-{o.Label}-{h.Name()}.json" }).ToList(),
        };
        Report.Write($"hosts-{o.Label}", summary);
        return summary;

        string[] Row(string what, Func<BridgeHostKind, string> cell) => [what, .. Hosts.Select(cell)];
    }

    // A quiet line's cost: the bridge's CPU (the Functions host with its worker) over the whole run, rings included.
    private static double CoreShare(Dictionary<string, object> run)
    {
        var cpu = (Dictionary<string, double>)run["cpu_seconds"];
        return cpu["bridge"] / cpu["wall"];
    }

    // The figures the table shows, without the per-second samples (those stay in each step's own file).
    private static Dictionary<string, object> Pick(Dictionary<string, object> run) =>
        run.Where(kv => kv.Key is not "samples").ToDictionary(kv => kv.Key, kv => kv.Value);
}
