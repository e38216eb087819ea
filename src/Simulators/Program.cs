using System.Runtime.InteropServices;
using Megafon.Simulators;

// Three verbs, options as --name value (read with the standard command-line configuration provider):
//   serve  --vats-port P --elma-port P --vats-api-key K --elma-token T [--elma-api-token T] [--elma-bridge-key K]
//   play   --bridge http://127.0.0.1:7071 --crm-token K --elma http://127.0.0.1:P --recording-host H [--function-key K]
//          [--watch "text to print first"]
//          (H: a host for https links, or the PBX simulator's origin http://127.0.0.1:P, which serves the files;
//          the function key, default $DevHost__FunctionKey, lets it ask GetCallLink for each recording;
//          --watch: after the demo, keep printing what ELMA365 receives until stopped)
//   watch  --elma http://127.0.0.1:P   (prints what ELMA365 receives from now on, until stopped)
var verb = args.FirstOrDefault();
var options = new ConfigurationBuilder().AddCommandLine(args.Skip(1).ToArray()).Build();
string Option(string name) => options[name] ?? throw new ArgumentException($"--{name} is required for '{verb}'.");

// Ctrl+C or SIGTERM ends a wait (serve, watch) cleanly; anything else it ends as usual.
using var stop = new CancellationTokenSource();
var waiting = false;
void Stop(PosixSignalContext context)
{
    context.Cancel = waiting;
    stop.Cancel();
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

switch (verb)
{
    case "serve":
        await using (var vats = await VatsSimulator.StartAsync(Option("vats-api-key"), int.Parse(Option("vats-port"), System.Globalization.CultureInfo.InvariantCulture)))
        await using (var elma = await Elma365Simulator.StartAsync(Option("elma-token"), int.Parse(Option("elma-port"), System.Globalization.CultureInfo.InvariantCulture), bridgeKey: options["elma-bridge-key"]))
        {
            Console.WriteLine($"PBX simulator:    {vats.ApiEndpoint}");
            Console.WriteLine($"ELMA365 simulator: {elma.WebhookUrl}");
            // The public API beside it, with a client routed to a manager for the demo call.
            elma.Api.Token = options["elma-api-token"] ?? Elma365PublicApi.DefaultToken;
            elma.Api.SeedDemo();
            Console.WriteLine($"ELMA365 API:       {new Uri(elma.BaseAddress, "pub/v1/")} (module {elma.Api.ModuleCode})");
            waiting = true;
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        return 0;

    case "play":
        var elmaAddress = new Uri(Option("elma"));
        var played = await RunCommandDemo.RunAsync(
            new Uri(Option("bridge")), Option("crm-token"), elmaAddress, Option("recording-host"),
            options["function-key"] ?? Environment.GetEnvironmentVariable("DevHost__FunctionKey"), Console.Out);
        if (options["watch"] is not { } hint)
        {
            return played;
        }

        Console.WriteLine();
        Console.WriteLine(hint);
        waiting = true;
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            await Elma365Watch.RunAsync(http, elmaAddress, await Elma365Watch.CountAsync(http, elmaAddress, stop.Token), Console.Out, stop.Token);
        }

        return played;

    case "watch":
        waiting = true;
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var elma = new Uri(Option("elma"));
            await Elma365Watch.RunAsync(http, elma, await Elma365Watch.CountAsync(http, elma, stop.Token), Console.Out, stop.Token);
        }

        return 0;

    default:
        Console.Error.WriteLine("usage: Megafon.Simulators serve|play|watch [--option value ...] (see Program.cs)");
        return 2;
}
