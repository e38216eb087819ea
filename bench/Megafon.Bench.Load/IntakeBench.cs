using System.Globalization;
using Azure.Storage.Queues;
using Megafon.Core.Queueing;
using Megafon.Testing;

namespace Megafon.Bench.Load;

/// <summary>
/// Intake against its two ceilings at each concurrency, in one run: (a) bare Kestrel answering
/// 200, (b) raw QueueClient.SendMessageAsync of the same message to Azurite, (c) the bridge's
/// /api/vats/webhook on the DevHost or the Functions host, queue trigger off (so only intake runs). Each round measures the
/// three back to back; with several rounds the median round (by intake ÷ raw) is reported.
/// </summary>
internal static class IntakeBench
{
    private sealed record Round(LoadResult Bare, LoadResult Raw, LoadResult Intake, double RawAzuriteCores, double IntakeAzuriteCores, double IntakeBridgeCores, double BridgeCpuMsPerWebhook, int Queued)
    {
        public double IntakeVsRaw => Intake.PerSecond / Raw.PerSecond;

        public double IntakeVsBare => Intake.PerSecond / Bare.PerSecond;
    }

    public static async Task<int> RunAsync(IReadOnlyList<int> concurrencies, TimeSpan duration, string driver, string label, IDictionary<string, string>? settings = null, TimeSpan? warmupTime = null, int repeat = 1, BridgeHostKind host = BridgeHostKind.DevHost) =>
        (bool)(await MeasureAllAsync(concurrencies, duration, driver, label, settings, warmupTime, repeat, host))["failed"] ? 1 : 0;

    /// <summary>Measures, prints the table, writes results/intake-{label}.json, and returns what it wrote ("failed" when a run served nothing or had errors).</summary>
    public static async Task<Dictionary<string, object>> MeasureAllAsync(IReadOnlyList<int> concurrencies, TimeSpan duration, string driver, string label, IDictionary<string, string>? settings = null, TimeSpan? warmupTime = null, int repeat = 1, BridgeHostKind host = BridgeHostKind.DevHost)
    {
        settings ??= new Dictionary<string, string>();
        var startedAt = DateTimeOffset.Now;
        var loadBefore = Report.LoadAverage();
        Console.WriteLine($"intake [{label}] on the {host.Name()}: concurrencies {string.Join(",", concurrencies)}, {duration.TotalSeconds} s each, {repeat} round(s), driver {driver}, settings [{string.Join(", ", settings.Select(kv => $"{kv.Key}={kv.Value}"))}]; load {loadBefore}");

        var barePort = FreePorts.Next();
        await using var bare = ChildProcess.StartDotnet($"bare-{label}", typeof(IntakeBench).Assembly.Location, ["bare", "--port", barePort.ToString(CultureInfo.InvariantCulture)]);
        await Ports.WaitListeningAsync(barePort, TimeSpan.FromSeconds(30), bare);
        var bareUrl = new Uri($"http://127.0.0.1:{barePort}/api/vats/webhook");
        var warmup = warmupTime ?? TimeSpan.FromSeconds(5);
        var rows = new List<Dictionary<string, object>>();
        var failed = false;
        foreach (var c in concurrencies)
        {
            var rounds = new List<Round>();
            for (var r = 1; r <= repeat; r++)
            {
                var round = await MeasureAsync(c, r, driver, label, bareUrl, duration, warmup, settings, host);
                rounds.Add(round);
                failed |= round.Intake.Errors > 0 || round.Intake.Requests == 0 || round.Raw.Requests == 0 || round.Bare.Requests == 0;
                Console.WriteLine($"    c={c} round {r}: bare {round.Bare.PerSecond,7:F0}/s p99 {round.Bare.Latency["p99_ms"],6} ms | raw {round.Raw.PerSecond,6:F0}/s p99 {round.Raw.Latency["p99_ms"],6} ms | intake {round.Intake.PerSecond,6:F0}/s p99 {round.Intake.Latency["p99_ms"],6} ms, errors {round.Intake.Errors} | intake÷raw {round.IntakeVsRaw:P0} | cores: Azurite raw {round.RawAzuriteCores:F2}, intake Azurite {round.IntakeAzuriteCores:F2} {host.Name()} {round.IntakeBridgeCores:F2}");
            }

            var median = rounds.OrderBy(x => x.IntakeVsRaw).ElementAt(rounds.Count / 2);
            rows.Add(new Dictionary<string, object>
            {
                ["concurrency"] = c,
                ["bare"] = median.Bare,
                ["raw_enqueue"] = median.Raw,
                ["intake"] = median.Intake,
                ["intake_vs_raw"] = Math.Round(median.IntakeVsRaw, 3),
                ["intake_vs_bare"] = Math.Round(median.IntakeVsBare, 3),
                ["intake_vs_raw_all_rounds"] = rounds.Select(x => Math.Round(x.IntakeVsRaw, 3)).ToList(),
                ["bridge_cpu_ms_per_webhook"] = Math.Round(median.BridgeCpuMsPerWebhook, 3),
                ["cores_azurite_raw"] = Math.Round(median.RawAzuriteCores, 2),
                ["cores_azurite_intake"] = Math.Round(median.IntakeAzuriteCores, 2),
                ["cores_bridge_intake"] = Math.Round(median.IntakeBridgeCores, 2),
                ["queued_by_intake_run"] = median.Queued,
            });
        }

        var peak = rows.MaxBy(r => ((LoadResult)r["raw_enqueue"]).PerSecond)!;
        var peakIntake = (LoadResult)peak["intake"];
        var peakRaw = (LoadResult)peak["raw_enqueue"];
        var summary = new Dictionary<string, object>
        {
            ["what"] = "intake vs bare Kestrel vs raw enqueue (closed loop, loopback)",
            ["date"] = startedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            ["machine"] = Report.Machine(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = Report.LoadAverage(),
            ["driver"] = driver,
            ["host"] = host.Name(),
            ["bridge_settings"] = settings,
            ["seconds_per_run"] = duration.TotalSeconds,
            ["warmup_seconds"] = warmup.TotalSeconds,
            ["rounds"] = repeat,
            ["rows"] = rows,
            ["raw_peak_concurrency"] = peak["concurrency"],
            ["target_intake_vs_raw_at_peak"] = Math.Round(peakIntake.PerSecond / peakRaw.PerSecond, 3),
            ["target_intake_p99_ms_at_peak"] = peakIntake.Latency["p99_ms"],
        };
        Console.WriteLine(Report.Table(
            ["concurrency", "bare Kestrel req/s (p99 ms)", "raw enqueue msg/s (p99 ms)", "intake req/s (p50 / p99 ms)", "intake ÷ raw", "intake ÷ bare", $"{host.Name()} CPU ms/webhook", $"cores busy: Azurite (raw) / Azurite (intake) / {host.Name()} (intake)"],
            rows.Select(r =>
            {
                var b = (LoadResult)r["bare"];
                var q = (LoadResult)r["raw_enqueue"];
                var i = (LoadResult)r["intake"];
                return new[]
                {
                    r["concurrency"].ToString()!, $"{Report.F(b.PerSecond, 0)} ({b.Latency["p99_ms"]})", $"{Report.F(q.PerSecond, 0)} ({q.Latency["p99_ms"]})",
                    $"{Report.F(i.PerSecond, 0)} ({i.Latency["p50_ms"]} / {i.Latency["p99_ms"]}){(i.Errors > 0 ? $" {i.Errors} errors" : string.Empty)}",
                    $"{(double)r["intake_vs_raw"]:P0}", $"{(double)r["intake_vs_bare"]:P1}", r["bridge_cpu_ms_per_webhook"].ToString()!,
                    $"{r["cores_azurite_raw"]} / {r["cores_azurite_intake"]} / {r["cores_bridge_intake"]}",
                };
            })));
        Console.WriteLine($"raw enqueue peaks at c={peak["concurrency"]}: intake is {summary["target_intake_vs_raw_at_peak"]:P0} of it (target ≥ 80 %), intake p99 {summary["target_intake_p99_ms_at_peak"]} ms (target ≤ 25 ms)");
        summary["failed"] = failed;
        Report.Write($"intake-{label}", summary);
        return summary;
    }

    private static async Task<Round> MeasureAsync(int c, int round, string driver, string label, Uri bareUrl, TimeSpan duration, TimeSpan warmup, IDictionary<string, string> settings, BridgeHostKind host)
    {
        var bareResult = await Http(driver, "bare Kestrel", bareUrl, c, duration, warmup);

        // Azurite (in memory) is started fresh for every measured run: a long-lived one slows down as
        // messages pile up, and clearing its queue leaves it busy collecting garbage for minutes.
        LoadResult raw;
        double rawAzuriteCpu;
        await using (var azurite = await Azurite.StartAsync($"azurite-raw-{label}-c{c}-r{round}"))
        {
            var before = azurite.Process.CpuSeconds();
            raw = await Drivers.EnqueueInChildAsync(azurite.ConnectionString, c, duration, warmup);
            rawAzuriteCpu = (azurite.Process.CpuSeconds() - before) * duration.TotalSeconds / (duration + warmup).TotalSeconds; // the driver's warm-up runs at the same rate
        }

        await using (var azurite = await Azurite.StartAsync($"azurite-intake-{label}-c{c}-r{round}"))
        {
            var (devhost, devhostAddress) = await BridgeHosts.StartAsync(host, $"{host.Name()}-intake-{label}-c{c}-r{round}", azurite.ConnectionString,
                new Uri("http://127.0.0.1:9/elma365/webhook"), new Uri("http://127.0.0.1:9/sys/crm_api.wcgp"), runQueueTriggers: false, settings);
            await using (devhost)
            {
                var intakeUrl = new Uri(devhostAddress, "api/vats/webhook");
                await Http(driver, "intake warm-up", intakeUrl, c, warmup, TimeSpan.Zero);
                var cpuBefore = devhost.CpuSeconds();
                var azuriteCpuBefore = azurite.Process.CpuSeconds();
                var intake = await Http(driver, "intake", intakeUrl, c, duration, TimeSpan.Zero);
                var cpu = devhost.CpuSeconds() - cpuBefore;
                var azuriteCpu = azurite.Process.CpuSeconds() - azuriteCpuBefore;
                var queued = (await new QueueClient(azurite.ConnectionString, QueueNames.VatsEvents).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                var seconds = intake.Seconds;
                return new Round(bareResult, raw, intake, rawAzuriteCpu / duration.TotalSeconds, azuriteCpu / seconds, cpu / seconds, cpu * 1000 / Math.Max(1, intake.Requests), queued);
            }
        }
    }

    private static Task<LoadResult> Http(string driver, string target, Uri url, int concurrency, TimeSpan duration, TimeSpan warmup) =>
        driver == "wrk" ? Drivers.WrkAsync(target, url, concurrency, duration, warmup > TimeSpan.Zero) : Drivers.HttpAsync(target, url, concurrency, duration, warmup);
}
