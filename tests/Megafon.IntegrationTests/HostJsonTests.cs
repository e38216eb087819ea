using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Megafon.Core.Queueing;
using Megafon.DevHost;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;
using Megafon.Testing;
using Xunit.Abstractions;

namespace Megafon.IntegrationTests;

/// <summary>The repository's host.json queue settings, the values both hosts run with.</summary>
internal static class RepositoryHostJson
{
    public static string Path => System.IO.Path.Combine(RepositoryFolder.Root, "host.json");

    public static QueueTriggerSettings Queues => QueueTriggerSettings.Load(Path);

    /// <summary>An INCOMING ring of its own call, as the intake queues it.</summary>
    public static BinaryData Ring(string callId) => VatsEventQueues.Body(new VatsQueueMessage(
        new Dictionary<string, string> { ["cmd"] = "event", ["type"] = "INCOMING", ["callid"] = callId, ["phone"] = "79101234567", ["user"] = "alexey", ["ext"] = "703" },
        DateTimeOffset.UtcNow));

    /// <summary>The poison queue as stored (a Base64 client throws on the text the host moves there undecoded).</summary>
    public static QueueClient Undecoded(BridgeFixture bridge, string queue) => new(bridge.Azurite.ConnectionString, queue);
}

/// <summary>
/// host.json's queue settings, each shown by what it does, on both hosts (the Functions host reads
/// the copy the build puts beside the app, the DevHost the repository's): how soon an idle queue is
/// read (maxPollingInterval), how many messages run at once (batchSize, newBatchThreshold), and what
/// happens to a message that is not Base64 (messageEncoding).
/// </summary>
public abstract class HostJsonQueueTests(BridgeFixture bridge, ITestOutputHelper output)
{
    [Fact]
    public async Task An_idle_queue_is_read_within_maxPollingInterval()
    {
        var settings = RepositoryHostJson.Queues;
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            // Idle long enough for the poller to back off to its longest wait; the Functions default (1 min) would be far past it.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var callId = $"poll-{i}";
            var sent = DateTimeOffset.UtcNow;
            await bridge.Events.SendMessageAsync(RepositoryHostJson.Ring(callId));
            await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == callId), TimeSpan.FromSeconds(30));
            latencies.Add(bridge.Elma365.Arrivals.First(a => a.Message["callId"]!.GetValue<string>() == callId).ReceivedAt - sent);
        }

        output.WriteLine($"{bridge.HostKind}: queued → delivered after 6 s idle: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0} ms"))} (maxPollingInterval {settings.MaxPollingInterval})");
        Assert.All(latencies, l => Assert.True(l < settings.MaxPollingInterval + TimeSpan.FromSeconds(1), $"{l.TotalMilliseconds:F0} ms"));
    }

    [Fact]
    public async Task BatchSize_messages_start_together_and_the_next_batch_joins_at_newBatchThreshold()
    {
        var settings = RepositoryHostJson.Queues;
        const int Messages = 48;

        // Queued while no host runs, so its first receive finds them all.
        await bridge.StopHostAsync();
        await Task.WhenAll(Enumerable.Range(0, Messages).Select(i => bridge.Events.SendMessageAsync(RepositoryHostJson.Ring($"batch-{i}"))));
        bridge.Elma365.Delay = TimeSpan.FromSeconds(1.2);
        bridge.Elma365.DelayJitter = TimeSpan.FromSeconds(1.2);
        try
        {
            await bridge.StartHostAsync();
            await bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>().StartsWith("batch-", StringComparison.Ordinal)) >= Messages, TimeSpan.FromSeconds(90));
        }
        finally
        {
            bridge.Elma365.Delay = TimeSpan.Zero;
            bridge.Elma365.DelayJitter = TimeSpan.Zero;
        }

        var pushes = bridge.Elma365.Pushes.Where(p => p.CallId?.StartsWith("batch-", StringComparison.Ordinal) == true).ToList();
        var firstDone = pushes.Min(p => p.ReadAt);
        var firstWave = pushes.Count(p => p.StartedAt < firstDone);
        var most = Elma365Simulator.MostAtOnce(pushes);
        output.WriteLine($"{bridge.HostKind}: {firstWave} pushes began before the first ended; at most {most} at once (batchSize {settings.BatchSize}, newBatchThreshold {settings.NewBatchThreshold})");

        // Exactly once unless an answer was lost: on a busy machine a push may outlast Elma365__Timeout;
        // the queue then repeats it (with the same messageId), and the bridge says so in its log.
        var received = bridge.Elma365.Received.Where(m => m["callId"]!.GetValue<string>().StartsWith("batch-", StringComparison.Ordinal)).ToList();
        var retried = bridge.HostLog.Count(e => e.Message.Contains("ELMA365 did not take the message", StringComparison.Ordinal));
        output.WriteLine($"{pushes.Count} pushes for {Messages} messages; {retried} retries logged");
        Assert.Equal(Messages, received.Select(m => m["callId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(received.GroupBy(m => m["callId"]!.GetValue<string>()), g => Assert.Single(g.Select(m => m["messageId"]!.GetValue<string>()).Distinct()));
        Assert.InRange(pushes.Count, Messages, Messages + retried);
        Assert.Equal(settings.BatchSize, firstWave);
        Assert.InRange(most, settings.BatchSize + 1, settings.BatchSize + settings.NewBatchThreshold);
    }

    [Fact]
    public async Task A_message_that_is_not_Base64_goes_to_poison_at_once_as_written_and_an_admin_can_still_list_and_replay_it()
    {
        var settings = RepositoryHostJson.Queues;
        var text = RepositoryHostJson.Ring("not-base64").ToString();
        var raw = RepositoryHostJson.Undecoded(bridge, QueueNames.VatsEvents);
        var poison = RepositoryHostJson.Undecoded(bridge, QueueNames.VatsEventsPoison);
        var clock = Stopwatch.StartNew();

        await raw.SendMessageAsync(text);
        while ((await poison.PeekMessagesAsync(32)).Value.All(m => m.Body.ToString() != text))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the message did not reach the poison queue");
            await Task.Delay(100);
        }

        // Never tried: moved within one poll, not after maxDequeueCount × visibilityTimeout.
        Assert.True(clock.Elapsed < settings.VisibilityTimeout, $"moved after {clock.Elapsed}");
        Assert.DoesNotContain(bridge.Elma365.Received, m => m["callId"]!.GetValue<string>() == "not-base64");
        Assert.Contains(bridge.HostLog, e => e.Message.Contains("Message decoding has failed", StringComparison.Ordinal));

        var list = await AdminAsync(HttpMethod.Get, "api/ops/poison?callId=not-base64");
        var listed = Assert.Single(list!["messages"]!.AsArray());
        Assert.Contains("not Base64", listed!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, (await AdminAsync(HttpMethod.Post, "api/ops/poison/replay?callId=not-base64"))!["replayed"]!.GetValue<int>());
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "not-base64"), TimeSpan.FromSeconds(20));
    }

    private async Task<JsonNode?> AdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(bridge.BaseAddress, path));
        request.Headers.Add("x-functions-key", BridgeFixture.MasterKey);
        using var response = await bridge.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}

public sealed class HostJsonQueueTestsOnDevHost(BridgeFixture bridge, ITestOutputHelper output)
    : HostJsonQueueTests(bridge, output), IClassFixture<BridgeFixture>;

public sealed class HostJsonQueueTestsOnFunctionsHost(FunctionsHostFixture bridge, ITestOutputHelper output)
    : HostJsonQueueTests(bridge, output), IClassFixture<FunctionsHostFixture>;

/// <summary>
/// The bridge whose processor leaves a message's last failure to the trigger: it believes one more
/// dequeue is allowed than host.json's maxDequeueCount, as when it cannot even write its poison
/// entry, so what the host itself does after maxDequeueCount failures shows.
/// </summary>
public class TriggerRetryFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Processing:MaxDequeueCount", (RepositoryHostJson.Queues.MaxDequeueCount + 1).ToString(CultureInfo.InvariantCulture))];
}

public sealed class FunctionsHostTriggerRetryFixture : TriggerRetryFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>visibilityTimeout and maxDequeueCount: a message that keeps failing, on both hosts.</summary>
public abstract partial class HostJsonRetryTests(TriggerRetryFixture bridge, ITestOutputHelper output)
{
    [Fact]
    public async Task A_failing_message_is_retried_every_visibilityTimeout_and_moved_to_poison_by_the_host_after_maxDequeueCount()
    {
        var settings = RepositoryHostJson.Queues;

        // Storage failing for real: without the calls table the processor can neither read nor claim the call.
        await bridge.Calls.DeleteAsync();
        var clock = Stopwatch.StartNew();
        var sent = (await bridge.Events.SendMessageAsync(RepositoryHostJson.Ring("keeps-failing"))).Value;
        var poison = RepositoryHostJson.Undecoded(bridge, QueueNames.VatsEventsPoison);
        var worst = (settings.VisibilityTimeout + settings.MaxPollingInterval + TimeSpan.FromSeconds(3)) * settings.MaxDequeueCount;
        while ((await poison.PeekMessagesAsync(32)).Value.Length == 0)
        {
            Assert.True(clock.Elapsed < worst, $"nothing in poison after {clock.Elapsed}");
            await Task.Delay(200);
        }

        var attempts = bridge.HostLog
            .Select(e => (e.At, Match: TriggerDetails().Match(e.Message)))
            .Where(a => a.Match.Success && a.Match.Groups["id"].Value == sent.MessageId)
            .Select(a => (a.At, DequeueCount: int.Parse(a.Match.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .ToList();
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b.At - a.At).ToList();
        output.WriteLine($"{bridge.HostKind}: attempts {string.Join(", ", attempts.Select(a => $"#{a.DequeueCount} +{(a.At - attempts[0].At).TotalSeconds:F1} s"))}; poisoned after {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Enumerable.Range(1, settings.MaxDequeueCount), attempts.Select(a => a.DequeueCount));
        Assert.All(gaps, gap => Assert.InRange(gap, settings.VisibilityTimeout - TimeSpan.FromMilliseconds(200), settings.VisibilityTimeout + settings.MaxPollingInterval + TimeSpan.FromSeconds(3)));

        // Moved by the host as it was (no reason of ours), and an admin still sees and replays it.
        var moved = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Equal("keeps-failing", VatsEventQueues.Read(UndecodedQueues.TryDecode(moved.Body)!).Fields["callid"]);
        await bridge.Calls.CreateIfNotExistsAsync();
        using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/ops/poison?callId=keeps-failing"));
        list.Headers.Add("x-functions-key", BridgeFixture.MasterKey);
        var listed = JsonNode.Parse(await (await bridge.Http.SendAsync(list)).Content.ReadAsStringAsync())!["messages"]!.AsArray().Single();
        Assert.Contains("Moved to poison by the Functions host", listed!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        using var replay = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge.BaseAddress, "api/ops/poison/replay?callId=keeps-failing"));
        replay.Headers.Add("x-functions-key", BridgeFixture.MasterKey);
        Assert.Equal(HttpStatusCode.OK, (await bridge.Http.SendAsync(replay)).StatusCode);
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "keeps-failing"), TimeSpan.FromSeconds(20));
    }

    // The line the Functions host logs for every queue-triggered invocation (the DevHost logs it too).
    [GeneratedRegex(@"Trigger Details: MessageId: (?<id>[^,]+), DequeueCount: (?<count>\d+)")]
    private static partial Regex TriggerDetails();
}

public sealed class HostJsonRetryTestsOnDevHost(TriggerRetryFixture bridge, ITestOutputHelper output)
    : HostJsonRetryTests(bridge, output), IClassFixture<TriggerRetryFixture>;

public sealed class HostJsonRetryTestsOnFunctionsHost(FunctionsHostTriggerRetryFixture bridge, ITestOutputHelper output)
    : HostJsonRetryTests(bridge, output), IClassFixture<FunctionsHostTriggerRetryFixture>;
