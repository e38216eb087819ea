using System.Globalization;

namespace Megafon.Bench.Load;

/// <summary>
/// CPU profile of the DevHost under intake load: wrk at a fixed concurrency against the intake
/// (queue trigger off), dotnet-trace sampling the DevHost meanwhile, then dotnet-trace's top-N
/// report. dotnet-trace is a NuGet tool: dotnet tool install dotnet-trace --tool-path /tmp/dntools.
/// </summary>
internal static class Profile
{
    public static async Task<int> RunAsync(string dotnetTrace, bool linux, int concurrency, TimeSpan duration, string label, IDictionary<string, string> settings)
    {
        await using var azurite = await Azurite.StartAsync($"azurite-profile-{label}");
        var (devhost, address) = await DevHost.StartAsync($"devhost-profile-{label}", azurite.ConnectionString,
            new Uri("http://127.0.0.1:9/elma365/webhook"), new Uri("http://127.0.0.1:9/sys/crm_api.wcgp"), runQueueTriggers: false, settings);
        await using var _ = devhost;
        var url = new Uri(address, "api/vats/webhook");
        var load = Drivers.WrkAsync("intake (profiled)", url, concurrency, duration + TimeSpan.FromSeconds(6), warmup: false);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var trace = Path.Combine(Repo.ArtifactsDir, $"profile-{label}.nettrace");
        // collect-linux samples on-CPU stacks with perf_events (root only); plain collect samples every
        // thread ~100 times a second whether it runs or waits, which hides CPU cost behind idle threads.
        List<string> collectArguments = linux
            ? ["collect-linux", "-p", devhost.Id.ToString(CultureInfo.InvariantCulture), "--profile", "cpu-sampling"]
            : ["collect", "-p", devhost.Id.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time"];
        collectArguments.AddRange(["--duration", duration.ToString("c", CultureInfo.InvariantCulture), "-o", trace]);
        await using (var collect = ChildProcess.Start($"dotnet-trace-{label}", dotnetTrace, collectArguments))
        {
            await collect.WaitForExitAsync(duration + TimeSpan.FromSeconds(60));
        }

        var result = await load;
        Console.WriteLine($"  intake under the profiler: {result.PerSecond:F0}/s, p99 {result.Latency["p99_ms"]} ms");
        foreach (var inclusive in new[] { false, true })
        {
            var name = $"profile-{label}-top-{(inclusive ? "inclusive" : "exclusive")}";
            List<string> arguments = ["report", trace, "topN", "-n", "60"];
            if (inclusive)
            {
                arguments.Add("--inclusive");
            }

            await using var report = ChildProcess.Start(name, dotnetTrace, arguments);
            await report.WaitForExitAsync(TimeSpan.FromMinutes(5));
            await Task.Delay(200);
            File.Copy(report.LogPath, Path.Combine(Repo.ResultsDir, $"{name}.txt"), overwrite: true);
            Console.WriteLine($"  → bench/results/{name}.txt");
        }

        return 0;
    }
}
