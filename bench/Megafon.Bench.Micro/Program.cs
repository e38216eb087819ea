using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project bench/Megafon.Bench.Micro -- [--quick] [BenchmarkDotNet options, e.g. --filter '*']
// --quick: one in-process dry iteration of every benchmark, to prove they still run (bench/quick.sh).
// --verify [N]: today's form reading (FormReader pair by pair) against the original (ReadForm) on N random bodies.
if (args.Length > 0 && args[0] == "--verify")
{
    return Megafon.Bench.Micro.Equivalence.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
}

var quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToArray();
if (rest.Length == 0)
{
    rest = ["--filter", "*"];
}

var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableLogFile);
if (quick)
{
    config = config
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Megafon.Bench.Micro.Samples).Assembly).Run(rest, config);
var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed || !summaries.Any() ? 1 : 0;
