using System.Text.Json.Nodes;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>
/// Calls played through the bridge arrive in ELMA365 the way the platform defines them: srcPhone
/// the caller, dstPhone the callee, in every event and in the record; and every push is a
/// well-formed, length-declared request. On both hosts.
/// </summary>
public abstract class Elma365DirectionTests(BridgeFixture bridge)
{
    private const string Client = "79031234567";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // One webhook at a time, each once the previous one reached ELMA365: what is checked here is
    // which way round every message is, so no stage may be dropped for arriving after the end
    // (ordering under load is PipelineTests' subject).
    private async Task<List<JsonObject>> PlayAsync(string callId, IEnumerable<VatsWebhook> webhooks)
    {
        var count = 0;
        foreach (var webhook in webhooks.Where(w => w.Fields["cmd"] != "contact"))
        {
            await bridge.SendAllAsync([webhook]);
            count++;
            await bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>() == callId) >= count, Patience);
        }

        return [.. bridge.Elma365.Received.Where(m => m["callId"]!.GetValue<string>() == callId)];
    }

    private static string Shape(JsonObject m) =>
        $"{(m["kind"]!.GetValue<string>() == "event" ? m["event"] : "record")}/{m["direction"]}/{m["srcPhone"]}->{m["dstPhone"]}";

    [Fact]
    public async Task An_answered_outbound_call_is_the_member_calling_the_client_in_every_event_and_the_record()
    {
        var messages = await PlayAsync("d-out", VatsScenarios.Outgoing("d-out", Client, "maria", "704", bridge.RecordingHost));

        Assert.Equal(
            ["NotifyAnswer/Out/704->79031234567", "NotifyEnd/Out/704->79031234567", "NotifyStart/Out/704->79031234567", "record/Out/704->79031234567"],
            messages.Select(Shape).Order());
    }

    [Fact]
    public async Task An_unanswered_outbound_call_closes_and_records_the_same_way_round()
    {
        VatsWebhook[] call =
        [
            VatsScenarios.Event("OUTGOING", "d-out-busy", Client, "maria", "704"),
            VatsScenarios.Event("CANCELLED", "d-out-busy", Client, "maria", "704"),
            VatsScenarios.History("d-out-busy", "out", "Busy", Client, "maria", "704", duration: 0, wait: 9, link: null),
        ];

        var messages = await PlayAsync("d-out-busy", call);

        Assert.Equal(["NotifyEnd/Out/704->79031234567", "NotifyStart/Out/704->79031234567", "record/Out/704->79031234567"], messages.Select(Shape).Order());
    }

    [Fact]
    public async Task An_inbound_call_is_the_client_calling_the_member()
    {
        var messages = await PlayAsync("d-in", VatsScenarios.IncomingAnswered("d-in", Client, "alexey", "703", bridge.RecordingHost));

        Assert.Equal(
            ["NotifyAnswer/In/79031234567->703", "NotifyEnd/In/79031234567->703", "NotifyStart/In/79031234567->703", "record/In/79031234567->703"],
            messages.Select(Shape).Order());
    }

    [Fact]
    public async Task Every_push_declares_its_length_and_none_goes_out_chunked()
    {
        await PlayAsync("d-shape", VatsScenarios.Outgoing("d-shape", Client, "maria", "704", bridge.RecordingHost));

        var shapes = bridge.Elma365.Shapes;
        Assert.True(shapes.Count >= 4, $"{shapes.Count} requests recorded");
        Assert.All(shapes, s =>
        {
            Assert.True(s.ContentLength is > 0 and < 1024, $"Content-Length {s.ContentLength}");
            Assert.Null(s.TransferEncoding);
            Assert.Equal("application/json; charset=utf-8", s.ContentType);
        });
    }
}

public sealed class Elma365DirectionTestsOnDevHost(BridgeFixture bridge) : Elma365DirectionTests(bridge), IClassFixture<BridgeFixture>;

public sealed class Elma365DirectionTestsOnFunctionsHost(FunctionsHostFixture bridge) : Elma365DirectionTests(bridge), IClassFixture<FunctionsHostFixture>;
