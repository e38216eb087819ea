using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Recordings;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>
/// Replaying the poison queues through the admin endpoints, on both hosts: a replay takes what was
/// there when it started and never loops, finds one call's messages however deep in the queue,
/// leaves the rest visible, accounts for every message it removes, and serves recordings-poison too.
/// </summary>
public abstract class PoisonReplayTests(BridgeFixture bridge) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        bridge.Elma365.ForcedStatus = null;
        await bridge.Poison.ClearMessagesAsync();
        await bridge.Queue(RecordingQueues.PoisonName).ClearMessagesAsync();
    }

    public Task DisposeAsync()
    {
        bridge.Elma365.ForcedStatus = null;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_replay_while_ELMA365_still_refuses_pushes_each_message_once_and_leaves_the_new_refusals_for_next_time()
    {
        const int Calls = 40;
        bridge.Elma365.ForcedStatus = 400;
        await bridge.SendAllAsync(Enumerable.Range(0, Calls).Select(i => Ring($"loop-{i}")));
        await WaitForPoisonCountAsync(Calls);
        var before = bridge.Elma365.RequestCount;

        var replay = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay");
        await WaitForRefusedAgainAsync(before + Calls);
        var pushes = bridge.Elma365.RequestCount - before;

        Assert.True(Calls == replay["replayed"]!.GetValue<int>(), replay.ToJsonString());
        Assert.Equal(0, replay["dropped"]!.GetValue<int>());
        Assert.Equal(Calls, pushes);
        Assert.Equal(Calls, await BridgeFixture.QueuedCountAsync(bridge.Poison));

        // And again: each replay is one round, however often ELMA365 refuses.
        var again = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay");
        await WaitForRefusedAgainAsync(before + (2 * Calls));
        Assert.True(Calls == again["replayed"]!.GetValue<int>(), again.ToJsonString());
        Assert.Equal(2 * Calls, bridge.Elma365.RequestCount - before);
        Assert.Equal(Calls, await BridgeFixture.QueuedCountAsync(bridge.Poison));
    }

    [Fact]
    public async Task A_replay_of_one_call_finds_it_beyond_the_first_page_and_leaves_the_rest_visible_at_once()
    {
        const int Others = 40;
        bridge.Elma365.ForcedStatus = 400;
        await bridge.SendAllAsync(Enumerable.Range(0, Others).Select(i => Ring($"deep-{i}")));
        await WaitForPoisonCountAsync(Others);
        await bridge.SendAllAsync([Ring("deep-target")]);
        await WaitForPoisonCountAsync(Others + 1);
        bridge.Elma365.ForcedStatus = null;

        var listed = await AdminAsync(HttpMethod.Get, "api/ops/poison?callId=deep-target");
        var replay = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?callId=deep-target");
        var after = await AdminAsync(HttpMethod.Get, "api/ops/poison");
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "deep-target"), TimeSpan.FromSeconds(20));

        Assert.Equal("deep-target", Assert.Single(listed["messages"]!.AsArray())!["callId"]!.GetValue<string>());
        Assert.Equal(1, replay["replayed"]!.GetValue<int>());
        Assert.Equal(Others, replay["left"]!["otherCalls"]!.GetValue<int>());
        Assert.Equal(Others, after["total"]!.GetValue<int>());
        Assert.Equal(32, after["shown"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replay_of_a_call_whose_end_was_refused_brings_back_the_end_and_the_record_and_reports_its_popups_as_dropped()
    {
        const string CallId = "refused-call";
        bridge.Elma365.ForcedStatus = 400;
        await bridge.SendAllAsync(VatsScenarios.IncomingAnswered(CallId, "79161234567", "alexey", "703", bridge.Vats.RecordingOrigin).Where(w => w.Fields["cmd"] != "contact"));
        await WaitForPoisonCountAsync(4);
        bridge.Elma365.ForcedStatus = null;

        var replay = await AdminAsync(HttpMethod.Post, $"api/ops/poison/replay?callId={CallId}");
        var received = await bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>() == CallId) >= 2, TimeSpan.FromSeconds(20));
        await Task.Delay(1000);

        Assert.Equal(2, replay["replayed"]!.GetValue<int>());
        Assert.Equal(2, replay["dropped"]!.GetValue<int>());
        var dropped = replay["droppedMessages"]!.AsArray().Select(d => $"{d!["type"]}: {d["reason"]}").ToList();
        Assert.All(dropped, d => Assert.Contains("the call already ended", d, StringComparison.Ordinal));
        Assert.Equal(["ACCEPTED", "INCOMING"], replay["droppedMessages"]!.AsArray().Select(d => d!["type"]!.GetValue<string>()).Order());
        Assert.Equal(["NotifyEnd/In/Answered/703", "record/In/Answered/703/95"], PipelineTests.Summary(bridge.Elma365.Received, CallId).Order());
        var row = (await bridge.Calls.GetEntityAsync<TableEntity>(CallId, CallEntity.Row)).Value;
        Assert.Equal(["event:Accepted:703", "event:Incoming:703"], row.GetString("Dropped")!.Split('\n').Order());
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Poison));
        Assert.NotEmpty(received);
    }

    [Fact]
    public async Task A_refused_recording_is_replayed_from_recordings_poison_once_the_PBX_serves_it()
    {
        const string CallId = "rec-poison";
        var file = $"{CallId}.mp3";
        bridge.Vats.AddRecording(file, new VatsRecording(4096, "text/html"));
        await bridge.SendAllAsync([VatsScenarios.History(CallId, "in", "Success", "79161234567", "alexey", "703", 30, 2, VatsScenarios.RecordingLink(bridge.Vats.RecordingOrigin, CallId))]);
        var poison = bridge.Queue(RecordingQueues.PoisonName);
        await WaitUntilAsync(async () => await BridgeFixture.QueuedCountAsync(poison) == 1, "the recording was not poisoned");

        var listed = await AdminAsync(HttpMethod.Get, $"api/ops/poison?queue=recordings&callId={CallId}");
        bridge.Vats.AddRecording(file, new VatsRecording(4096));
        var replay = await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?queue=recordings");
        await WaitUntilAsync(async () => (await bridge.Calls.GetEntityAsync<TableEntity>(CallId, CallEntity.Row)).Value.GetString("RecordingBlob") is not null, "the replayed recording was not archived");
        var replayedAgain = await ReplayRecordingPoisonedAgainAsync(CallId);

        Assert.Contains("not a recording", Assert.Single(listed["messages"]!.AsArray())!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("recordings", replay["queue"]!.GetValue<string>());
        Assert.Equal(1, replay["replayed"]!.GetValue<int>());
        Assert.Equal(1, replayedAgain["dropped"]!.GetValue<int>());
        Assert.Contains("archived already", replayedAgain["droppedMessages"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "api/ops/poison?queue=nope")).Status);
    }

    // The same request poisoned again by hand (as if the archiver had failed twice): a replay now finds the call archived.
    private async Task<JsonNode> ReplayRecordingPoisonedAgainAsync(string callId)
    {
        var request = new RecordingQueueMessage(callId, VatsScenarios.RecordingLink(bridge.Vats.RecordingOrigin, callId), null, DateTimeOffset.UtcNow);
        var queues = new RecordingQueues(new QueueServiceClient(bridge.Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        await queues.PoisonAsync(new PoisonedRecording(request, "test", DateTimeOffset.UtcNow), CancellationToken.None);
        return await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?queue=recordings");
    }

    private static VatsWebhook Ring(string callId) => VatsScenarios.Event("INCOMING", callId, "79101234567", "alexey", "703");

    private Task WaitForPoisonCountAsync(int count) =>
        WaitUntilAsync(async () => await BridgeFixture.QueuedCountAsync(bridge.Poison) >= count, $"fewer than {count} messages reached the poison queue");

    // Every replayed message refused again and back in poison, then a few seconds more in which a
    // looping replay would have pushed them again.
    private async Task WaitForRefusedAgainAsync(long pushes)
    {
        await WaitUntilAsync(() => Task.FromResult(bridge.Elma365.RequestCount >= pushes), $"fewer than {pushes} pushes reached ELMA365");
        await WaitUntilAsync(async () => await BridgeFixture.QueuedCountAsync(bridge.Poison) >= 40, "the refused messages did not come back to poison");
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }

    private async Task<JsonNode> AdminAsync(HttpMethod method, string path)
    {
        var (status, body) = await SendAsync(method, path);
        Assert.True(status == HttpStatusCode.OK, $"{method} {path} → {status} {body}");
        return body!;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(bridge.BaseAddress, path));
        request.Headers.Add("x-functions-key", BridgeFixture.MasterKey);
        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

public sealed class PoisonReplayTestsOnDevHost(BridgeFixture bridge) : PoisonReplayTests(bridge), IClassFixture<BridgeFixture>;

public sealed class PoisonReplayTestsOnFunctionsHost(FunctionsHostFixture bridge) : PoisonReplayTests(bridge), IClassFixture<FunctionsHostFixture>;
