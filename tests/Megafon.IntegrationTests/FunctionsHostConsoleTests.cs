using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>A Functions host of its own, so every app line in its console belongs to the one call sent.</summary>
public sealed class FunctionsHostConsoleFixture : FunctionsHostFixture;

/// <summary>
/// On the Functions host only: with the worker's OpenTelemetry on, the host no longer prints what the
/// worker logs, so in Development (run.sh, func start) the worker prints its own lines, which the host
/// passes through its console (src/Functions/Program.cs). The DevHost writes the same lines with the
/// same formatter (BridgeLoggingTests shows the format).
/// </summary>
public sealed class FunctionsHostConsoleTests(FunctionsHostConsoleFixture bridge) : IClassFixture<FunctionsHostConsoleFixture>
{
    private const string CallId = "console-call-1";
    private const string Phone = "79161234567";

    [Fact]
    public async Task The_hosts_console_has_one_line_per_webhook_and_per_delivery_with_the_call_id()
    {
        var call = VatsScenarios.IncomingAnswered(CallId, Phone, "alexey", "703", bridge.RecordingHost).Where(w => w.Fields["cmd"] != "contact").ToList();
        await bridge.SendAllAsync(call);
        await bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>() == CallId) >= call.Count, TimeSpan.FromSeconds(30));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (AppLines("Delivered").Count < call.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(call.Count, AppLines("Webhook").Count(l => l.Contains(" accepted: ", StringComparison.Ordinal)));
        Assert.Equal(call.Count, AppLines("Delivered").Count);
        Assert.All(bridge.HostLog, e => Assert.DoesNotContain(Phone, e.Message, StringComparison.Ordinal));
    }

    // "12:00:00.000 info [console-call-1] Delivered …": the worker's own line, as the host passed it on.
    private List<string> AppLines(string start) =>
        [.. bridge.HostLog.Select(e => e.Message).Where(m => m.Contains($" [{CallId}] {start}", StringComparison.Ordinal))];
}
