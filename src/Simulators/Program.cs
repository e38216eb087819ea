using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Megafon.Simulators;

// Two verbs, options as --name value (read with the standard command-line configuration provider):
//   serve  --vats-port P --elma-port P --vats-api-key K --elma-token T [--elma-api-token T] [--elma-bridge-key K]
//   play   --bridge http://127.0.0.1:7071 --crm-token K --elma http://127.0.0.1:P --recording-host H [--function-key K]
//          (H: a host for https links, or the PBX simulator's origin http://127.0.0.1:P, which serves the files;
//          the function key, default $DevHost__FunctionKey, lets it ask GetCallLink for each recording)
var verb = args.FirstOrDefault();
var options = new ConfigurationBuilder().AddCommandLine(args.Skip(1).ToArray()).Build();
string Option(string name) => options[name] ?? throw new ArgumentException($"--{name} is required for '{verb}'.");

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
            var stop = new TaskCompletionSource();
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }

            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            await stop.Task;
        }

        return 0;

    case "play":
        var played = await PlayAsync(new Uri(Option("bridge")), Option("crm-token"), new Uri(Option("elma")), Option("recording-host"));
        var functionKey = options["function-key"] ?? Environment.GetEnvironmentVariable("DevHost__FunctionKey");
        return played.Exit != 0 || functionKey is null
            ? played.Exit
            : await RecordingDemo.ShowAsync(new Uri(Option("bridge")), functionKey, played.Recorded);

    default:
        Console.Error.WriteLine("usage: Megafon.Simulators serve|play [--option value ...] (see Program.cs)");
        return 2;
}

// Plays one call of each kind through the bridge and prints what ELMA365 received.
static async Task<(int Exit, IReadOnlyList<(string CallId, string Link)> Recorded)> PlayAsync(Uri bridge, string crmToken, Uri elma, string recordingHost)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    var sender = new VatsWebhookSender(http, new Uri(bridge, "api/vats/webhook"), crmToken);
    var stamp = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
    var calls = new (string Name, IReadOnlyList<VatsWebhook> Webhooks)[]
    {
        ("incoming, answered", VatsScenarios.IncomingAnswered($"demo-in-{stamp}", "79161234567", "alexey", "703", recordingHost)),
        ("incoming via group, missed", VatsScenarios.IncomingMissedViaGroup($"demo-miss-{stamp}", "79261234567", [("alexey", "703"), ("maria", "704")])),
        ("outgoing", VatsScenarios.Outgoing($"demo-out-{stamp}", "79031234567", "maria", "704", recordingHost)),
        ("transferred", VatsScenarios.Transferred($"demo-tr-{stamp}", $"demo-tr2-{stamp}", "79051234567", ("alexey", "703"), ("maria", "704"), recordingHost)),
    };

    var sent = 0;
    foreach (var (name, webhooks) in calls)
    {
        Console.WriteLine($"PBX → bridge: {name}");
        foreach (var webhook in webhooks)
        {
            using var response = await sender.SendAsync(webhook);
            var answer = await response.Content.ReadAsStringAsync();
            Console.WriteLine($"  {(int)response.StatusCode} {webhook.Describe()}  {(webhook.Fields["cmd"] == "contact" ? DescribeContact(answer) : answer)}");
            sent += webhook.Fields["cmd"] == "contact" ? 0 : 1;
        }
    }

    // Every queued webhook ends as one ELMA365 message, or is dropped by design (a stale or
    // duplicate one); wait until nothing more arrives.
    var deadline = DateTime.UtcNow.AddSeconds(30);
    JsonArray received = [];
    var lastCount = -1;
    var stableSince = DateTime.UtcNow;
    while (DateTime.UtcNow < deadline)
    {
        received = JsonNode.Parse(await http.GetStringAsync(new Uri(elma, "elma365/received")))!.AsArray();
        if (received.Count != lastCount)
        {
            lastCount = received.Count;
            stableSince = DateTime.UtcNow;
        }
        else if (received.Count > 0 && DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(2))
        {
            break;
        }

        await Task.Delay(200);
    }

    var ours = received.OfType<JsonObject>().Where(m => m["callId"]!.ToString().EndsWith(stamp, StringComparison.Ordinal)).ToList();
    Console.WriteLine();
    Console.WriteLine($"ELMA365 received {ours.Count} messages for the {sent} webhooks queued:");
    foreach (var message in ours)
    {
        Console.WriteLine($"  {message["kind"],-10} {message["callId"],-22} {message["event"] ?? "-",-12} {message["direction"],-3} {message["disposition"],-9} src={message["srcPhone"]} dst={message["dstPhone"]}{(message["link"] is { } link ? $" link={link}" : string.Empty)}");
    }

    var recorded = ours.Where(m => m["kind"]!.ToString() == "callRecord" && m["link"] is not null)
        .Select(m => (m["callId"]!.ToString(), m["link"]!.ToString()))
        .ToList();
    return (ours.Count > 0 ? 0 : 1, recorded);
}

// The PBX shows contact_name on the manager's phone and rings responsible first.
static string DescribeContact(string answer)
{
    try
    {
        return JsonNode.Parse(answer) is JsonObject { Count: > 0 } known
            ? $"→ caller «{known["contact_name"]}», routed to {known["responsible"]?.ToString() ?? "(nobody: no binding)"}"
            : $"→ unknown caller {answer}";
    }
    catch (System.Text.Json.JsonException)
    {
        return answer;
    }
}
