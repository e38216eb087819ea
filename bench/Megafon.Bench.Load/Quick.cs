using System.Globalization;

namespace Megafon.Bench.Load;

/// <summary>
/// Every harness with tiny sizes, in seconds, to prove they still work (bench/quick.sh, called by
/// scripts/test.sh). Asserts that things ran and were delivered, never how fast.
/// </summary>
internal static class Quick
{
    public static async Task<int> RunAsync()
    {
        // Nothing of a quick run lands in bench/results: it proves the harnesses work, its figures mean nothing.
        Repo.ArtifactsOverride = Path.Combine(Repo.Root, "artifacts", "bench-quick");
        Repo.ResultsOverride = Repo.ArtifactsOverride;
        var failures = new List<string>();
        void Check(bool ok, string what)
        {
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
            if (!ok)
            {
                failures.Add(what);
            }
        }

        Console.WriteLine("quick 1/4: intake vs bare Kestrel vs raw enqueue (c=2, 1 s each, .NET driver)");
        var intake = await IntakeBench.RunAsync([2], TimeSpan.FromSeconds(1), "dotnet", "quick", warmupTime: TimeSpan.FromSeconds(0.5));
        Check(intake == 0, "intake, bare Kestrel and raw enqueue each served requests, intake without errors");

        Console.WriteLine("quick 2/4: end-to-end, INCOMING at 10/s for 2 s, instrumented");
        var incoming = await EndToEnd.RunAsync(new EndToEndOptions(10, TimeSpan.FromSeconds(2), "incoming", Instrument: true, Label: "quick-incoming", Warmup: TimeSpan.FromSeconds(0.5)));
        Check((int)incoming["missing"] == 0 && (int)incoming["send_errors"] == 0, "every INCOMING webhook reached the ELMA365 simulator");
        Check(incoming.ContainsKey("storage_operations") && (double)incoming["storage_operations_per_webhook"] > 0, "the storage proxy counted operations");
        var byType = (Dictionary<string, object>)incoming["by_type"];
        Check(((Dictionary<string, object>)byType["INCOMING"]).ContainsKey("on_queue_beyond_hold"), "the storage proxy split latency into queue and processing");

        Console.WriteLine("quick 3/4: end-to-end, 2 whole calls (staged ACCEPTED/COMPLETED/history) at 4 webhooks/s");
        var calls = await EndToEnd.RunAsync(new EndToEndOptions(4, TimeSpan.FromSeconds(2), "calls", Instrument: false, Label: "quick-calls", Warmup: TimeSpan.FromSeconds(0.5)));
        Check((int)calls["missing"] == 0 && (int)calls["send_errors"] == 0, "every webhook of the calls reached the ELMA365 simulator");
        Check(((Dictionary<string, double>)calls["bridge_rss_mib"])["peak_since_start_vmhwm"] > 0, "DevHost memory was sampled");

        Console.WriteLine("quick 4/4: DevHost and Functions host side by side (end to end 10/s for 2 s, an idle line of rings 0.5-1 s apart, intake at c=2 for 1 s)");
        var hosts = await HostsBench.RunAsync(new HostsOptions(10, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), (0.5, 1), 2, TimeSpan.FromSeconds(1), 1, "dotnet", "quick",
            new Dictionary<string, string>(), Warmup: TimeSpan.FromSeconds(0.5), IntakeWarmup: TimeSpan.FromSeconds(0.5)));
        var steady = (Dictionary<string, object>)hosts["steady"];
        Check(!(bool)hosts["failed"], "on both hosts every webhook arrived and the intake served without errors");
        Check(((Dictionary<string, object>)steady["functions-host"])["host"].Equals("functions-host"), "the Functions host served the side-by-side run");

        Console.WriteLine("quick 4/5: recording archiver vs raw UploadAsync (3 files of 64 KiB, one round) and one 4 MiB archive's memory");
        var archive = await ArchiveBench.RunAsync(3, 64 * 1024, 4 * 1024 * 1024, 1, "quick");
        Check((double)archive["archive_recordings_per_s"] > 0 && (double)archive["raw_upload_recordings_per_s"] > 0, "every recording was archived (checked per file) and the raw uploads ran");
        Check(((ArchiveBench.Memory)archive["memory_large"]).AllocatedMiB > 0, "the memory of one archive was measured");
        Console.WriteLine("quick 5/5: contact lookup, 10 known and 4 unknown callers cold (ELMA365 simulator at 50 ms), then warm");
        var contact = await ContactBench.RunAsync(new ContactBenchOptions(10, 4, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(700), 1, "quick", Warmup: 3));
        Check((int)contact["wrong_answers"] == 0, "every contact answer named the caller and their manager, or was {} for an unknown one");
        Check((int)contact["elma365_list_requests_cold"] > 0 && (int)contact["elma365_list_requests_warm"] == 0, "the cold pass asked ELMA365, the warm pass was answered from the contacts table");

        Console.WriteLine(failures.Count == 0
            ? "quick: all load harnesses ran (no timings asserted)"
            : $"quick: {failures.Count.ToString(CultureInfo.InvariantCulture)} check(s) failed: {string.Join("; ", failures)}");
        return failures.Count == 0 ? 0 : 1;
    }
}
