using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Megafon.Core.Calls;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>PBX webhooks → VatsWebhook → Azurite queue → ProcessVatsEvent → ELMA365 simulator, all real, on either host.</summary>
public abstract class PipelineTests(BridgeFixture bridge)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Names the member whichever side of the call it is on (Elma365DirectionTests checks the sides).
    internal static List<string> Summary(IEnumerable<JsonObject> messages, string callId) =>
        [.. messages.Where(m => m["callId"]!.GetValue<string>() == callId).Select(m => m["kind"]!.GetValue<string>() == "event"
            ? $"{m["event"]}/{m["direction"]}/{m["disposition"]}/{Elma365Simulator.MemberOf(m)}"
            : $"record/{m["direction"]}/{m["disposition"]}/{Elma365Simulator.MemberOf(m)}/{m["duration"]}")];

    /// <summary>No card of the call may open after a card of it closed, and the record comes last.</summary>
    internal static void AssertInCallOrder(IEnumerable<JsonObject> messages, string callId)
    {
        var stages = messages.Where(m => m["callId"]!.GetValue<string>() == callId)
            .Select(m => m["kind"]!.GetValue<string>() == "callRecord" ? 3 : m["event"]!.GetValue<string>() switch { "NotifyStart" => 0, "NotifyAnswer" => 1, _ => 2 })
            .ToList();
        var lastStart = stages.LastIndexOf(0);
        var firstEnd = stages.FindIndex(s => s >= 2);
        Assert.True(firstEnd < 0 || lastStart < firstEnd, $"a card opened after one closed: {string.Join(",", stages)}");
    }

    private Task<IReadOnlyList<JsonObject>> WaitForAsync(string callId, int count) =>
        bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>() == callId) >= count, Patience);

    [Fact]
    public async Task An_answered_incoming_call_pops_up_closes_and_lands_in_history_with_its_recording()
    {
        await bridge.SendAllAsync(VatsScenarios.IncomingAnswered("p-in", "79161234567", "alexey", "703", bridge.RecordingHost));

        await WholeCall.AssertDeliveredAsync(bridge, "p-in", ["NotifyStart/In/Unknown/703", "NotifyAnswer/In/Answered/703", "NotifyEnd/In/Answered/703", "record/In/Answered/703/95"], Patience);
        var received = bridge.Elma365.Received;
        var record = received.Single(m => m["callId"]!.GetValue<string>() == "p-in" && m["kind"]!.GetValue<string>() == "callRecord");
        var link = $"https://{bridge.RecordingHost}/records/p-in.mp3";
        Assert.Equal(link, record["link"]!.GetValue<string>());
        // Recordings are archived by default: ELMA365 keeps only the call id and asks the bridge for a link.
        Assert.False(record["call"]!.AsObject().ContainsKey("link"));
        Assert.Equal("p-in", record["call"]!["id"]!.GetValue<string>());
        Assert.Equal("79161234567", record["srcPhone"]!.GetValue<string>());

        var entity = (await bridge.Calls.GetEntityAsync<TableEntity>("p-in", CallEntity.Row)).Value;
        Assert.Equal(link, entity.GetString("Link"));
        Assert.Equal("Success", entity.GetString("Status"));
        Assert.Equal("Answered", entity.GetString("Disposition"));
        Assert.Equal(95, entity.GetInt32("DurationSeconds"));
        Assert.True(entity.GetBoolean("HistoryRecorded"));
    }

    [Fact]
    public async Task A_missed_group_call_rings_everybody_closes_every_card_and_records_a_cancel()
    {
        await bridge.SendAllAsync(VatsScenarios.IncomingMissedViaGroup("p-miss", "79261234567", [("alexey", "703"), ("maria", "704")]));

        var received = await WaitForAsync("p-miss", 5);

        var summary = Summary(received, "p-miss");
        Assert.Equal(["NotifyEnd/In/Cancel/703", "NotifyEnd/In/Cancel/704", "NotifyStart/In/Unknown/703", "NotifyStart/In/Unknown/704", "record/In/Cancel/pbx/0"], summary.Order());
        AssertInCallOrder(received, "p-miss");

        // The legs' CANCELLED and the history came together; the history is staged after the ends.
        Assert.Equal("record/In/Cancel/pbx/0", summary[^1]);
        var entity = (await bridge.Calls.GetEntityAsync<TableEntity>("p-miss", CallEntity.Row)).Value;
        Assert.Null(entity.GetString("Link"));
        Assert.Equal("missed", entity.GetString("Status"));
    }

    [Fact]
    public async Task A_group_call_answered_by_one_keeps_that_card_open_until_the_end()
    {
        await bridge.SendAllAsync(VatsScenarios.IncomingAnsweredViaGroup("p-grp", "79261234500", ("alexey", "703"), [("maria", "704")], bridge.RecordingHost));
        await bridge.SendAllAsync([VatsScenarios.Event("CANCELLED", "p-grp", "79261234500", "alexey", "703")]);

        var received = await WaitForAsync("p-grp", 6);
        await Task.Delay(500);

        var summary = Summary(bridge.Elma365.Received, "p-grp");
        Assert.DoesNotContain("NotifyEnd/In/Cancel/703", summary);
        Assert.Contains("NotifyEnd/In/Cancel/704", summary);
        Assert.Contains("NotifyEnd/In/Answered/703", summary);
        Assert.Equal(6, summary.Count);
        AssertInCallOrder(received, "p-grp");
    }

    [Fact]
    public async Task An_outgoing_call_is_outbound_in_every_message()
    {
        await bridge.SendAllAsync(VatsScenarios.Outgoing("p-out", "79031234567", "maria", "704", bridge.RecordingHost));

        await WholeCall.AssertDeliveredAsync(bridge, "p-out", ["NotifyStart/Out/Unknown/704", "NotifyAnswer/Out/Answered/704", "NotifyEnd/Out/Answered/704", "record/Out/Answered/704/42"], Patience);
    }

    [Fact]
    public async Task A_transferred_call_closes_the_first_card_and_links_the_two_call_ids()
    {
        await bridge.SendAllAsync(VatsScenarios.Transferred("p-tr", "p-tr2", "79051234567", ("alexey", "703"), ("maria", "704"), bridge.RecordingHost));

        var received = await WaitForAsync("p-tr2", 4);
        await WaitForAsync("p-tr", 4);

        var transfer = bridge.Elma365.Received.Single(m => m["callId"]!.GetValue<string>() == "p-tr" && m["secondCallId"] is not null);
        Assert.Equal("NotifyEnd", transfer["event"]!.GetValue<string>());
        Assert.Equal("p-tr2", transfer["secondCallId"]!.GetValue<string>());
        Assert.Equal(["NotifyAnswer/In/Answered/704", "NotifyEnd/In/Answered/704", "NotifyStart/In/Unknown/704", "record/In/Answered/704/120"], Summary(received, "p-tr2").Order());
        AssertInCallOrder(received, "p-tr2");
        Assert.Equal("p-tr2", (await bridge.Calls.GetEntityAsync<TableEntity>("p-tr", CallEntity.Row)).Value.GetString("SecondCallId"));
        Assert.Equal("p-tr", (await bridge.Calls.GetEntityAsync<TableEntity>("p-tr2", CallEntity.Row)).Value.GetString("TransferredFrom"));
    }

    [Fact]
    public async Task A_recording_link_on_a_foreign_host_is_not_passed_on()
    {
        await bridge.SendAllAsync([VatsScenarios.History("p-evil", "in", "Success", "79101234567", "alexey", "703", 10, 1, "https://evil.example.com/r.mp3")]);

        await WaitForAsync("p-evil", 1);
        var record = Assert.Single(bridge.Elma365.Received, m => m["callId"]!.GetValue<string>() == "p-evil");

        Assert.Null(record["link"]);
        Assert.Null(record["call"]!["link"]);
        Assert.True((await bridge.Calls.GetEntityAsync<TableEntity>("p-evil", CallEntity.Row)).Value.GetBoolean("LinkMissing"));
    }

    [Fact]
    public async Task While_elma365_fails_half_the_time_every_message_still_arrives_once()
    {
        bridge.Elma365.FailureRate = 0.5;
        try
        {
            await bridge.SendAllAsync(VatsScenarios.IncomingAnswered("p-flaky", "79161230000", "alexey", "703", bridge.RecordingHost));
            // Once each, in order; a popup whose retry the call's end overtook is dropped, not shown late.
            await WholeCall.AssertDeliveredAsync(bridge, "p-flaky", ["NotifyStart/In/Unknown/703", "NotifyAnswer/In/Answered/703", "NotifyEnd/In/Answered/703", "record/In/Answered/703/95"], Patience);
            Assert.True(bridge.Elma365.FailedCount > 0);
        }
        finally
        {
            bridge.Elma365.FailureRate = 0;
        }
    }
}

public sealed class PipelineTestsOnDevHost(BridgeFixture bridge) : PipelineTests(bridge), IClassFixture<BridgeFixture>;

public sealed class PipelineTestsOnFunctionsHost(FunctionsHostFixture bridge) : PipelineTests(bridge), IClassFixture<FunctionsHostFixture>;

/// <summary>The bridge as deployed in spirit: retries that outlast a short ELMA365 outage, a call lease longer than them.</summary>
public class Elma365OutageFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Processing:MaxAttempts", "30"),
        new("Processing:CallLease", "00:00:30"),
    ];
}

public sealed class FunctionsHostElma365OutageFixture : Elma365OutageFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>ELMA365 down, then back: retries carry every message of the call through, in order, once.</summary>
public abstract class Elma365OutageTests(Elma365OutageFixture bridge)
{
    [Fact]
    public async Task Elma365_down_for_a_while_then_back_gets_the_whole_call_once_and_nothing_is_poisoned()
    {
        bridge.Elma365.IsDown = true;
        try
        {
            await bridge.SendAllAsync(VatsScenarios.IncomingAnswered("p-outage", "79161230011", "alexey", "703", bridge.RecordingHost));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Empty(PipelineTests.Summary(bridge.Elma365.Received, "p-outage"));
        }
        finally
        {
            bridge.Elma365.IsDown = false;
        }

        // Each stage once, in order. The answer waited out the outage behind the ring's claim, as did
        // the end; when the end wins that race the answer is dropped as late (a card never reopens),
        // and the call's row says so.
        await WholeCall.AssertDeliveredAsync(bridge, "p-outage", ["NotifyStart/In/Unknown/703", "NotifyAnswer/In/Answered/703", "NotifyEnd/In/Answered/703", "record/In/Answered/703/95"], TimeSpan.FromSeconds(60));
        Assert.True(bridge.Elma365.FailedCount > 0);
        Assert.DoesNotContain((await bridge.Poison.PeekMessagesAsync(32)).Value, m => m.Body.ToString().Contains("p-outage", StringComparison.Ordinal));
    }
}

public sealed class Elma365OutageTestsOnDevHost(Elma365OutageFixture bridge) : Elma365OutageTests(bridge), IClassFixture<Elma365OutageFixture>;

public sealed class Elma365OutageTestsOnFunctionsHost(FunctionsHostElma365OutageFixture bridge) : Elma365OutageTests(bridge), IClassFixture<FunctionsHostElma365OutageFixture>;

/// <summary>ELMA365 refusing or staying down: messages end in the poison queue, each with its reason; the admin routes.</summary>
public abstract class PoisonTests(BridgeFixture bridge)
{
    [Fact]
    public async Task A_permanent_refusal_goes_to_poison_at_once_with_the_reason_and_no_more_tries()
    {
        bridge.Elma365.ForcedStatus = 400;
        try
        {
            await bridge.SendAllAsync([VatsScenarios.Event("INCOMING", "x-refused", "79101234567", "alexey", "703")]);
            var poisoned = await WaitForPoisonAsync("x-refused");

            Assert.Contains("ELMA365 refused the message", poisoned.Reason, StringComparison.Ordinal);
            Assert.Contains("400", poisoned.Reason, StringComparison.Ordinal);
            Assert.Equal(1, poisoned.Message.Attempt);
            Assert.Equal("INCOMING", poisoned.Message.Fields["type"]);
        }
        finally
        {
            bridge.Elma365.ForcedStatus = null;
        }
    }

    [Fact]
    public async Task Elma365_down_for_longer_than_the_retries_ends_in_poison_with_the_attempts_counted()
    {
        bridge.Elma365.IsDown = true;
        try
        {
            await bridge.SendAllAsync([VatsScenarios.Event("INCOMING", "x-down", "79101234567", "alexey", "703")]);
            var poisoned = await WaitForPoisonAsync("x-down");

            Assert.Contains("still failing after 4 attempts", poisoned.Reason, StringComparison.Ordinal);
            Assert.Equal(4, poisoned.Message.Attempt);
        }
        finally
        {
            bridge.Elma365.IsDown = false;
        }
    }

    [Fact]
    public async Task An_admin_lists_the_poison_queue_with_reasons_and_replays_it_once()
    {
        bridge.Elma365.ForcedStatus = 400;
        await bridge.SendAllAsync([VatsScenarios.Event("INCOMING", "x-replay", "79101234567", "alexey", "703")]);
        await WaitForPoisonAsync("x-replay");
        bridge.Elma365.ForcedStatus = null;

        var list = await AdminAsync(HttpMethod.Get, "api/ops/poison?callId=x-replay", BridgeFixture.MasterKey);
        var replay = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?callId=x-replay", BridgeFixture.MasterKey);
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "x-replay"), TimeSpan.FromSeconds(20));
        var again = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?callId=x-replay", BridgeFixture.MasterKey);
        var withFunctionKey = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay", BridgeFixture.FunctionKey);

        var listed = Assert.Single(list.Body!["messages"]!.AsArray());
        Assert.Contains("ELMA365 refused the message", listed!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("79*******67", listed["phone"]!.GetValue<string>());
        Assert.Equal(1, replay.Body!["replayed"]!.GetValue<int>());
        Assert.Equal(0, again.Body!["replayed"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.Status);
        Assert.Single(bridge.Elma365.Received, m => m["callId"]!.GetValue<string>() == "x-replay");
    }

    [Theory]
    [InlineData("GET", "api/ops/poison")]
    [InlineData("POST", "api/ops/poison/replay?callId=nobody")]
    public async Task The_admin_routes_open_to_the_master_key_alone(string method, string path)
    {
        var verb = new HttpMethod(method);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminAsync(verb, path, key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminAsync(verb, path, "not-a-key-of-this-bridge")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminAsync(verb, path, BridgeFixture.FunctionKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AdminAsync(verb, path, BridgeFixture.MasterKey)).Status);
    }

    [Fact]
    public async Task The_host_admin_api_answers_ping_to_anyone_and_status_to_the_master_key_only()
    {
        var ping = await AdminAsync(HttpMethod.Get, "admin/host/ping", key: null);
        var status = await AdminAsync(HttpMethod.Get, "admin/host/status", BridgeFixture.MasterKey);

        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("Running", status.Body!["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminAsync(HttpMethod.Get, "admin/host/status", key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminAsync(HttpMethod.Get, "admin/host/status", "not-a-key-of-this-bridge")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdminAsync(HttpMethod.Get, "admin/host/status", BridgeFixture.FunctionKey)).Status);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> AdminAsync(HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, new Uri(bridge.BaseAddress, path));
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<PoisonedMessage> WaitForPoisonAsync(string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var message in (await bridge.Poison.PeekMessagesAsync(32)).Value)
            {
                var poisoned = System.Text.Json.JsonSerializer.Deserialize(message.Body, BridgeJsonContext.Default.PoisonedMessage)!;
                if (poisoned.CallId == callId)
                {
                    return poisoned;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No poisoned message for {callId}.");
    }
}

public sealed class PoisonTestsOnDevHost(BridgeFixture bridge) : PoisonTests(bridge), IClassFixture<BridgeFixture>;

public sealed class PoisonTestsOnFunctionsHost(FunctionsHostFixture bridge) : PoisonTests(bridge), IClassFixture<FunctionsHostFixture>;
