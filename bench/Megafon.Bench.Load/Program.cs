using System.Globalization;
using Megafon.Bench.Load;

// dotnet bench/Megafon.Bench.Load/bin/Release/net10.0/Megafon.Bench.Load.dll <verb> [--option value ...]
//   intake  --concurrency 1,4,16,64 --duration 10 --warmup 5 --repeat 1 --driver wrk|dotnet --label NAME
//   (intake, e2e, cost, profile) --set:NAME VALUE passes an environment setting to the DevHost, e.g. --set:DOTNET_gcServer 0,
//   --set:Logging:LogLevel:Megafon Warning (':' becomes '__')
//   e2e     --rate 100 --duration 60 --mix incoming|calls [--instrument true] [--end-event-delay 00:00:02] [--max-polling 00:00:00.5]
//           [--azurite-queue-gc 00:10:00] [--azurite-debug true] --label NAME
//   cost    --rates 10,100,300,1000 --duration 20 --mix calls [--count-ops true] [--azurite-queue-gc 00:10:00] --label NAME
//   profile --concurrency 16 --duration 10 [--dotnet-trace PATH] [--set:Key value ...] --label NAME   (CPU profile of the intake)
//   archive --files 20 --bytes 1048576 --large-bytes 52428800 --rounds 3 --label NAME   (recording archiver vs raw UploadAsync; memory)
//   contact --known 500 --unknown 100 --elma365-delay 00:00:00.050 --budget 00:00:00.700 --concurrency 1 --label NAME
//           (contact answered from ELMA365: cold, then warm from the cache)
//   hosts   --rate 100 --duration 60 --idle-duration 180 --idle-gap 5,10 --concurrency 16 --intake-duration 10 --repeat 3
//           [--driver wrk|dotnet] [--azurite-queue-gc 00:10:00] --label NAME   (DevHost and Functions host side by side)
//   (intake, e2e) --host devhost|functions-host picks the host under test (default devhost)
//   quick   every harness with tiny sizes (bench/quick.sh)
//   bare    --port P                 (used by intake: the bare Kestrel ceiling)
//   enqueue --connection CS --concurrency C --duration S --warmup S   (used by intake: the raw enqueue ceiling)
var verb = args.FirstOrDefault() ?? "help";
var options = new ConfigurationBuilder().AddCommandLine(args.Skip(1).ToArray()).Build();
string Opt(string name, string fallback) => options[name] ?? fallback;
double Num(string name, double fallback) => double.Parse(Opt(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Num(name, fallback));
TimeSpan? Time(string name) => options[name] is { } v ? TimeSpan.Parse(v, CultureInfo.InvariantCulture) : null;
Dictionary<string, string> Settings() => options.GetSection("set").AsEnumerable(makePathsRelative: true)
    .Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
List<double> List(string name, string fallback) => [.. Opt(name, fallback).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];

switch (verb)
{
    case "bare":
        await BareServer.RunAsync((int)Num("port", 0));
        return 0;

    case "enqueue":
        var result = await Drivers.EnqueueAsync(Opt("connection", string.Empty), (int)Num("concurrency", 1), Seconds("duration", 10), Seconds("warmup", 2));
        Console.WriteLine("RESULT " + System.Text.Json.JsonSerializer.Serialize(result));
        return 0;

    case "intake":
        return await IntakeBench.RunAsync([.. List("concurrency", "1,4,16,64").Select(c => (int)c)], Seconds("duration", 10), Opt("driver", "wrk"), Opt("label", "run"), Settings(), Seconds("warmup", 5), (int)Num("repeat", 1), BridgeHosts.Parse(Opt("host", "devhost")));

    case "e2e":
        var gap = List("idle-gap", "5,10");
        var e2e = await EndToEnd.RunAsync(new EndToEndOptions(
            Num("rate", 100), Seconds("duration", 60), Opt("mix", "incoming"), bool.Parse(Opt("instrument", "false")), Opt("label", "run"),
            Time("end-event-delay"), Time("max-polling"), Settings(),
            AzuriteQueueGcInterval: Time("azurite-queue-gc"), AzuriteDebugLog: bool.Parse(Opt("azurite-debug", "false")),
            Host: BridgeHosts.Parse(Opt("host", "devhost")), IdleGapSeconds: (gap[0], gap[1])));
        return (int)e2e["missing"] == 0 && (int)e2e["send_errors"] == 0 ? 0 : 1;

    case "hosts":
        var idleGap = List("idle-gap", "5,10");
        var hosts = await HostsBench.RunAsync(new HostsOptions(
            Num("rate", 100), Seconds("duration", 60), Seconds("idle-duration", 180), (idleGap[0], idleGap[1]), (int)Num("concurrency", 16),
            Seconds("intake-duration", 10), (int)Num("repeat", 3), Opt("driver", "wrk"), Opt("label", "run"), Settings(), Time("azurite-queue-gc")));
        return (bool)hosts["failed"] ? 1 : 0;

    case "cost":
        return await Cost.RunAsync(List("rates", "10,100,300,1000"), Seconds("duration", 20), Opt("mix", "calls"), bool.Parse(Opt("count-ops", "true")), Opt("label", "run"), Settings(), Time("azurite-queue-gc"));

    case "profile":
        return await Profile.RunAsync(Opt("dotnet-trace", "/tmp/dntools/dotnet-trace"), bool.Parse(Opt("linux", "true")), (int)Num("concurrency", 16), Seconds("duration", 10), Opt("label", "run"), Settings());

    case "archive":
        await ArchiveBench.RunAsync((int)Num("files", 20), (long)Num("bytes", 1024 * 1024), (long)Num("large-bytes", 50 * 1024 * 1024), (int)Num("rounds", 3), Opt("label", "run"));
        return 0;
    case "contact":
        var contact = await ContactBench.RunAsync(new ContactBenchOptions(
            (int)Num("known", 500), (int)Num("unknown", 100), Time("elma365-delay") ?? TimeSpan.FromMilliseconds(50),
            Time("budget") ?? TimeSpan.FromMilliseconds(700), (int)Num("concurrency", 1), Opt("label", "run"), Settings()));
        return (int)contact["wrong_answers"] == 0 && (int)contact["elma365_list_requests_warm"] == 0 ? 0 : 1;

    case "quick":
        return await Quick.RunAsync();

    default:
        Console.Error.WriteLine("usage: Megafon.Bench.Load intake|e2e|hosts|cost|profile|archive|contact|quick|bare|enqueue [--option value ...] (see Program.cs and bench/README.md)");
        return 2;
}
