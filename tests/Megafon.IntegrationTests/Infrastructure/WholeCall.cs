using Azure.Data.Tables;
using Megafon.Core.Calls;
using Megafon.Simulators;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// What docs/guarantees.md promises for one whole call, as a test asserts it: every stage reaches
/// ELMA365 once (more only when an answer was lost), and no card opens after an end; a popup (ring
/// or answer) overtaken by the call's end is dropped rather than shown after it, and then the call's
/// row names it under Dropped. Nothing else may be missing.
/// </summary>
internal static class WholeCall
{
    /// <summary>
    /// Waits until each expected stage (in <see cref="PipelineTests.Summary"/> form) was received or,
    /// for a popup, recorded as dropped; then a second more for any duplicate; then checks the guarantee.
    /// Returns what ELMA365 received of the call.
    /// </summary>
    /// <param name="repeatsAllowed">
    /// How many more times a push (by messageId) may arrive: none, unless ELMA365 took it and its
    /// answer was lost (a timeout, an instance killed mid-push); then the retry repeats it.
    /// </param>
    public static async Task<List<string>> AssertDeliveredAsync(BridgeFixture bridge, string callId, IReadOnlyCollection<string> expected, TimeSpan patience, Func<string, int>? repeatsAllowed = null)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var droppedSoFar = await DroppedAsync(bridge.Calls, callId);
            if (Settled(SummaryOf(bridge.Elma365.Received, callId, expected), droppedSoFar, expected))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{callId} did not settle within {patience}: received {string.Join(", ", PipelineTests.Summary(bridge.Elma365.Received, callId))}; dropped {string.Join(", ", droppedSoFar)}");
            await Task.Delay(100);
        }

        await Task.Delay(1000);
        var received = bridge.Elma365.Received;
        var dropped = await DroppedAsync(bridge.Calls, callId);
        var summary = SummaryOf(received, callId, expected);
        var pushes = received.Where(m => m["callId"]!.GetValue<string>() == callId).GroupBy(m => m["messageId"]?.GetValue<string>() ?? Elma365Simulator.Describe(m));
        Assert.All(pushes, push => Assert.True(
            push.Count() <= 1 + (repeatsAllowed?.Invoke(push.Key) ?? 0),
            $"{push.Key} reached ELMA365 {push.Count()} times, more than lost answers explain: {string.Join(", ", summary)}"));
        Assert.True(summary.Distinct().Count() == pushes.Count(), $"{callId}: one stage was pushed under two messageIds: {string.Join(", ", summary)}");
        Assert.Empty(summary.Except(expected));
        Assert.All(expected.Except(summary), missing => Assert.True(
            DroppedKey(missing) is { } key && dropped.Contains(key),
            $"{callId}: {missing} was neither delivered nor dropped as a late popup (dropped: {string.Join(", ", dropped)})"));
        PipelineTests.AssertInCallOrder(received, callId);
        return summary;
    }

    // A card's direction comes from the call's ring (the PBX does not always say it on later events).
    // An answer or end waits Processing__RingWait for its ring; one whose ring was held longer (by a
    // killed instance, for the host's lease) goes without it, and on an outbound call as inbound.
    // docs/guarantees.md says so; the record always has the direction right.
    private static List<string> SummaryOf(IEnumerable<System.Text.Json.Nodes.JsonObject> received, string callId, IReadOnlyCollection<string> expected)
    {
        var summary = PipelineTests.Summary(received, callId);
        if (!expected.Any(e => e.StartsWith("NotifyStart/Out/", StringComparison.Ordinal)))
        {
            return summary;
        }

        var ring = summary.FindIndex(s => s.StartsWith("NotifyStart/Out/", StringComparison.Ordinal));
        return [.. summary.Select((s, i) => (ring < 0 || i < ring) && s.StartsWith("Notify", StringComparison.Ordinal) ? s.Replace("/In/", "/Out/", StringComparison.Ordinal) : s)];
    }

    /// <summary>The dedupe key a popup stage is dropped under (CallPolicy.DedupeKey), or null for what is never dropped as late.</summary>
    public static string? DroppedKey(string stage)
    {
        var parts = stage.Split('/');
        var type = (parts[0], parts[1]) switch
        {
            ("NotifyStart", "In") => "Incoming",
            ("NotifyStart", "Out") => "Outgoing",
            ("NotifyAnswer", _) => "Accepted",
            _ => null,
        };
        return type is null ? null : $"event:{type}:{parts[^1]}";
    }

    public static async Task<IReadOnlySet<string>> DroppedAsync(TableClient calls, string callId)
    {
        var row = await calls.GetEntityIfExistsAsync<TableEntity>(callId, CallEntity.Row);
        return row.HasValue && row.Value!.GetString(nameof(CallEntity.Dropped)) is { } dropped
            ? dropped.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
    }

    private static bool Settled(List<string> summary, IReadOnlySet<string> dropped, IReadOnlyCollection<string> expected) =>
        expected.All(e => summary.Contains(e) || (DroppedKey(e) is { } key && dropped.Contains(key)));
}
