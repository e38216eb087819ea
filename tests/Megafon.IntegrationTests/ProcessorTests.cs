using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Json;
using Megafon.Core.Processing;
using Megafon.Core.Queueing;
using Megafon.Core.Recordings;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Megafon.IntegrationTests;

/// <summary>
/// The processor message by message, with real storage and a real ELMA365 simulator: each test
/// composes the bridge with the settings it needs and looks at the call's row, the queue and what
/// ELMA365 got. One defect of issue 11 per test (the name says which behaviour it pins down).
/// </summary>
public sealed class ProcessorTests(ProcessorHarness harness) : IClassFixture<ProcessorHarness>, IAsyncLifetime
{
    private const string Key = "event:Incoming:703";

    private Elma365Simulator Elma365 => harness.Elma365;

    public Task InitializeAsync()
    {
        Elma365.FailureRate = 0;
        Elma365.RetryAfterSeconds = null;
        Elma365.Delay = TimeSpan.Zero;
        Elma365.AnswerDelay = TimeSpan.Zero;
        Elma365.RedirectStatus = null;
        Elma365.RedirectTo = null;
        Elma365.ForcedStatus = null;
        Elma365.IsDown = false;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => InitializeAsync();

    private static VatsWebhook Ring(string callId) => VatsScenarios.Event("INCOMING", callId, "79101234567", "alexey", "703");

    private static async Task<CallState> RowAsync(ComposedBridge bridge, string callId) => (await bridge.Calls.GetAsync(callId, CancellationToken.None)).State;

    private int Pushes(string callId) => Elma365.Pushes.Count(p => p.CallId == callId);

    [Fact]
    public async Task A_retry_delay_under_a_second_is_rounded_up_not_down_to_none()
    {
        await using var bridge = await harness.ComposeAsync();
        var queue = new QueueClient(harness.Azurite.ConnectionString, "delay-probe", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var queues = new VatsEventQueues(new QueueServiceClient(harness.Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));

        await queues.EnqueueAsync(ProcessorHarness.Message(Ring("delay-1")), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var atOnce = (await queues.Events.ReceiveMessagesAsync(32)).Value;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var later = (await queues.Events.ReceiveMessagesAsync(32)).Value;

        Assert.Empty(atOnce);
        Assert.Single(later);
        await queues.Events.DeleteMessageAsync(later[0].MessageId, later[0].PopReceipt);
    }

    [Fact]
    public async Task The_whole_push_ends_within_Elma365_Timeout_however_many_in_process_retries_it_would_take()
    {
        await using var bridge = await harness.ComposeAsync([new("Elma365:Timeout", "00:00:02"), new("Processing:CallLease", "00:00:15")]);
        Elma365.FailureRate = 1;
        Elma365.Delay = TimeSpan.FromMilliseconds(800);

        var clock = Stopwatch.StartNew();
        var outcome = await bridge.HandleAsync(ProcessorHarness.Message(Ring("budget-1")));
        clock.Stop();

        Assert.Equal(ProcessingOutcome.RetryScheduled, outcome);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3.5));
        Assert.InRange(Elma365.Shapes.Count(s => s.ReceivedAt > DateTimeOffset.UtcNow - clock.Elapsed - TimeSpan.FromSeconds(1)), 2, 3);
    }

    [Fact]
    public async Task A_long_Retry_After_is_not_waited_out_in_process_but_honoured_by_the_queue()
    {
        await using var bridge = await harness.ComposeAsync();
        Elma365.FailureRate = 1;
        Elma365.RetryAfterSeconds = 30;
        var before = Elma365.FailedCount;

        var clock = Stopwatch.StartNew();
        var outcome = await bridge.HandleAsync(ProcessorHarness.Message(Ring("retry-after-1")));
        clock.Stop();
        var visible = (await bridge.Queues.Events.ReceiveMessagesAsync(32)).Value;
        var queued = (await bridge.Queues.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        Assert.Equal(ProcessingOutcome.RetryScheduled, outcome);
        Assert.Equal(1, Elma365.FailedCount - before);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Empty(visible);
        Assert.True(queued >= 1);
        await bridge.Queues.Events.ClearMessagesAsync();
    }

    [Fact]
    public async Task A_push_whose_answer_is_lost_is_sent_once_per_attempt_and_every_attempt_carries_the_same_messageId()
    {
        await using var bridge = await harness.ComposeAsync([new("Elma365:Timeout", "00:00:01"), new("Processing:CallLease", "00:00:15")]);
        Elma365.AnswerDelay = TimeSpan.FromSeconds(3);
        var message = ProcessorHarness.Message(Ring("lost-1"));

        var first = await bridge.HandleAsync(message);
        Elma365.AnswerDelay = TimeSpan.Zero;
        var retry = message with { Attempt = 2 };
        var second = await bridge.HandleAsync(retry);

        Assert.Equal(ProcessingOutcome.RetryScheduled, first);
        Assert.Equal(ProcessingOutcome.Delivered, second);
        var copies = Elma365.Received.Where(m => m["callId"]!.GetValue<string>() == "lost-1").ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(["lost-1|event:Incoming:703"], copies.Select(m => m["messageId"]!.GetValue<string>()).Distinct());
        Assert.Contains("lost-1|event:Incoming:703", Elma365.LostAnswers);
        await bridge.Queues.Events.ClearMessagesAsync();
    }

    [Theory]
    [InlineData(307)]
    [InlineData(301)]
    public async Task A_redirect_is_a_clear_failure_and_the_push_is_not_sent_on(int status)
    {
        await using var elsewhere = await Elma365Simulator.StartAsync(BridgeFixture.Elma365Token, bridgeKey: BridgeFixture.ModuleKey);
        await using var bridge = await harness.ComposeAsync();
        Elma365.RedirectStatus = status;
        Elma365.RedirectTo = new Uri(elsewhere.WebhookUrl, "?token=secret");
        var callId = $"redirect-{status}";

        var outcome = await bridge.HandleAsync(ProcessorHarness.Message(Ring(callId)));
        var poisoned = await PoisonedAsync(bridge, callId);

        Assert.Equal(ProcessingOutcome.Poisoned, outcome);
        Assert.Equal(0, elsewhere.RequestCount);
        Assert.Contains("redirect", poisoned.Reason, StringComparison.Ordinal);
        Assert.Contains("Elma365__WebhookUrl", poisoned.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", poisoned.Reason, StringComparison.Ordinal);
        Assert.Null((await RowAsync(bridge, callId)).Pending);
    }

    [Fact]
    public async Task Cancellation_mid_push_keeps_the_call_claimed_for_the_hosts_retry()
    {
        await using var bridge = await harness.ComposeAsync();
        Elma365.Delay = TimeSpan.FromSeconds(3);
        var message = ProcessorHarness.Message(Ring("cancel-1"));
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bridge.HandleAsync(message, cancellationToken: shutdown.Token));
        var row = await RowAsync(bridge, "cancel-1");

        Assert.Equal(Key, row.Pending);
        Assert.Equal(message.Id, row.PendingOwner);
    }

    [Fact]
    public async Task A_storage_failure_after_the_claim_keeps_the_call_claimed_and_the_last_attempt_frees_it()
    {
        await using var bridge = await harness.ComposeAsync();
        var recordings = new QueueClient(harness.Azurite.ConnectionString, RecordingQueues.Name);
        var history = VatsScenarios.History("storage-1", "in", "Success", "79101234567", "alexey", "703", 30, 2, VatsScenarios.RecordingLink(ProcessorHarness.RecordingHostOf(harness.Vats), "storage-1"));
        var message = ProcessorHarness.Message(history);
        await recordings.DeleteAsync();
        try
        {
            await Assert.ThrowsAsync<RequestFailedException>(() => bridge.HandleAsync(message, dequeueCount: 1));
            var held = await RowAsync(bridge, "storage-1");

            var last = await bridge.HandleAsync(message, dequeueCount: 5);
            var freed = await RowAsync(bridge, "storage-1");

            Assert.Equal("history", held.Pending);
            Assert.Equal(message.Id, held.PendingOwner);
            Assert.Equal(ProcessingOutcome.Poisoned, last);
            Assert.Null(freed.Pending);
            Assert.Equal(0, Pushes("storage-1"));
        }
        finally
        {
            await recordings.CreateIfNotExistsAsync();
        }
    }

    [Fact]
    public async Task A_late_popup_is_dropped_and_accounted_for_in_the_row_with_what_it_tells_about_the_call()
    {
        await using var bridge = await harness.ComposeAsync([new("Processing:PopupLifetime", "00:01:00")]);
        var outgoing = VatsScenarios.Event("OUTGOING", "late-1", "79101234567", "alexey", "703");

        var outcome = await bridge.HandleAsync(ProcessorHarness.Message(outgoing, age: TimeSpan.FromMinutes(10)));
        var row = await RowAsync(bridge, "late-1");

        Assert.Equal(ProcessingOutcome.Stale, outcome);
        Assert.Equal(0, Pushes("late-1"));
        Assert.Contains("event:Outgoing:703", row.Dropped);
        Assert.Equal(Megafon.Core.Vats.Webhooks.VatsCallDirection.Out, row.Direction);
        Assert.Contains(bridge.Logs.GetSnapshot(), r => r.Message.Contains("Processing__PopupLifetime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_waiting_for_a_call_go_in_stage_order_whichever_comes_back_first()
    {
        await using var bridge = await harness.ComposeAsync();
        const string CallId = "order-1";
        var accepted = ProcessorHarness.Message(VatsScenarios.Event("ACCEPTED", CallId, "79101234567", "alexey", "703"));
        var completed = ProcessorHarness.Message(VatsScenarios.Event("COMPLETED", CallId, "79101234567", "alexey", "703"));

        // The ring holds the call (pushing, or waiting for its retry); the answer comes and waits.
        await bridge.Calls.TrySaveAsync(CallId, CallState.New.WithClaim(Key, "the-ring", DateTimeOffset.UtcNow), default, CancellationToken.None);
        Assert.Equal(ProcessingOutcome.Deferred, await bridge.HandleAsync(accepted));

        // The ring is through; the end happens to be retried before the answer.
        await bridge.Calls.UpdateAsync(CallId, s => s.WithDelivered(Key), CancellationToken.None);
        var endFirst = await bridge.HandleAsync(completed);
        var answer = await bridge.HandleAsync(accepted);
        var end = await bridge.HandleAsync(completed);

        Assert.Equal(ProcessingOutcome.Deferred, endFirst);
        Assert.Equal(ProcessingOutcome.Delivered, answer);
        Assert.Equal(ProcessingOutcome.Delivered, end);
        Assert.Equal(["NotifyAnswer", "NotifyEnd"], Elma365.Received.Where(m => m["callId"]!.GetValue<string>() == CallId).Select(m => m["event"]!.GetValue<string>()));
        Assert.Empty((await RowAsync(bridge, CallId)).Waiting);
        await bridge.Queues.Events.ClearMessagesAsync();
    }

    [Fact]
    public async Task An_outbound_answer_taken_before_its_ring_waits_for_it_and_goes_after_it_as_outbound()
    {
        // Behind a backlog the queue's staging no longer keeps them apart: the answer comes first,
        // without a direction (the PBX does not always repeat it after the ring).
        await using var bridge = await harness.ComposeAsync();
        const string CallId = "ring-first-1";
        var outgoing = ProcessorHarness.Message(VatsScenarios.Event("OUTGOING", CallId, "79101234567", "alexey", "703"));
        var accepted = ProcessorHarness.Message(VatsScenarios.Event("ACCEPTED", CallId, "79101234567", "alexey", "703"));

        var early = await bridge.HandleAsync(accepted);
        var ring = await bridge.HandleAsync(outgoing);
        var answer = await bridge.HandleAsync(accepted);

        Assert.Equal([ProcessingOutcome.Deferred, ProcessingOutcome.Delivered, ProcessingOutcome.Delivered], [early, ring, answer]);
        var pushed = Elma365.Received.Where(m => m["callId"]!.GetValue<string>() == CallId).ToList();
        Assert.Equal(["NotifyStart", "NotifyAnswer"], pushed.Select(m => m["event"]!.GetValue<string>()));
        Assert.All(pushed, m => Assert.Equal(("Out", "703", "79101234567"), (m["direction"]!.GetValue<string>(), m["srcPhone"]!.GetValue<string>(), m["dstPhone"]!.GetValue<string>())));
        await bridge.Queues.Events.ClearMessagesAsync();
    }

    [Fact]
    public async Task An_answer_whose_ring_never_comes_goes_once_RingWait_has_passed()
    {
        await using var bridge = await harness.ComposeAsync([new("Processing:RingWait", "00:00:03")]);
        const string CallId = "ring-lost-1";
        var young = ProcessorHarness.Message(VatsScenarios.Event("ACCEPTED", CallId, "79101234567", "alexey", "703"));
        var old = young with { ReceivedAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(4) };

        var waited = await bridge.HandleAsync(young);
        var went = await bridge.HandleAsync(old);

        Assert.Equal(ProcessingOutcome.Deferred, waited);
        Assert.Equal(ProcessingOutcome.Delivered, went);
        Assert.Equal(1, Pushes(CallId));
        await bridge.Queues.Events.ClearMessagesAsync();
    }

    [Fact]
    public async Task A_claim_is_honoured_for_the_lease_plus_the_clock_skew_by_an_instance_whose_clock_runs_ahead()
    {
        // Lease 15 s, skew 5 s. The claim was written 13 s ago by the instance that holds it; this
        // instance's clock runs 4 s ahead, so by its clock the claim is 17 s old.
        await using var ahead = await harness.ComposeAsync([new("Elma365:Timeout", "00:00:01"), new("Processing:CallLease", "00:00:15"), new("Processing:ClockSkew", "00:00:05")], new ShiftedClock(TimeSpan.FromSeconds(4)));
        const string CallId = "skew-1";
        await ahead.Calls.TrySaveAsync(CallId, CallState.New.WithClaim(Key, "holder", DateTimeOffset.UtcNow.AddSeconds(-13)), default, CancellationToken.None);

        var outcome = await ahead.HandleAsync(ProcessorHarness.Message(VatsScenarios.Event("COMPLETED", CallId, "79101234567", "alexey", "703")));

        Assert.Equal(ProcessingOutcome.Deferred, outcome);
        Assert.Equal(0, Pushes(CallId));
        Assert.Equal("holder", (await RowAsync(ahead, CallId)).PendingOwner);
        await ahead.Queues.Events.ClearMessagesAsync();
    }

    [Fact]
    public async Task Expected_ETag_conflicts_on_the_calls_table_are_not_logged_as_warnings_but_other_conflicts_are()
    {
        await using var bridge = await harness.ComposeAsync();
        const string CallId = "etag-1";
        var created = await bridge.Calls.TrySaveAsync(CallId, CallState.New, default, CancellationToken.None);
        var (_, etag) = await bridge.Calls.GetAsync(CallId, CancellationToken.None);
        await bridge.Calls.TrySaveAsync(CallId, CallState.New with { Rating = "5" }, etag, CancellationToken.None);

        // Only what these two writes log: start-up logs its own (the recordings container existing already).
        var before = Warnings(bridge).Count;
        var createdTwice = await bridge.Calls.TrySaveAsync(CallId, CallState.New, default, CancellationToken.None);
        var staleWrite = await bridge.Calls.TrySaveAsync(CallId, CallState.New with { Rating = "4" }, etag, CancellationToken.None);
        var quiet = Warnings(bridge).Skip(before).ToList();

        // The same client, another table, the same kind of stale write: still a warning.
        var settings = bridge.Services.GetRequiredService<TableServiceClient>().GetTableClient("settings");
        await settings.CreateIfNotExistsAsync();
        var row = new TableEntity("probe", "row");
        await settings.UpsertEntityAsync(row);
        var stale = (await settings.GetEntityAsync<TableEntity>("probe", "row")).Value.ETag;
        await settings.UpsertEntityAsync(row);
        await Assert.ThrowsAsync<RequestFailedException>(() => settings.UpdateEntityAsync(row, stale));

        Assert.NotNull(created);
        Assert.Null(createdTwice);
        Assert.Null(staleWrite);
        Assert.True(quiet.Count == 0, string.Join("\n", quiet));
        Assert.Contains(Warnings(bridge).Skip(before), w => w.Contains("412", StringComparison.Ordinal));
    }

    private static List<string> Warnings(ComposedBridge bridge) =>
        [.. bridge.Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && (r.Category ?? string.Empty).StartsWith("Azure", StringComparison.Ordinal)).Select(r => r.Message)];

    private static async Task<PoisonedMessage> PoisonedAsync(ComposedBridge bridge, string callId)
    {
        foreach (var message in (await bridge.Queues.Poison.PeekMessagesAsync(32)).Value)
        {
            var poisoned = System.Text.Json.JsonSerializer.Deserialize(message.Body, BridgeJsonContext.Default.PoisonedMessage)!;
            if (poisoned.CallId == callId)
            {
                return poisoned;
            }
        }

        throw new InvalidOperationException($"No poisoned message for {callId}.");
    }
}
