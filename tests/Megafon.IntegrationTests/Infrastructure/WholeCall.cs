using Azure.Data.Tables;
using Megafon.Core.Calls;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// What docs/guarantees.md promises for one whole call, as a test asserts it: every stage reaches
/// ELMA365 once, in order; a popup (ring or answer) overtaken by the call's end is dropped rather
/// than shown after it, and then the call's row names it under Dropped. Nothing else may be missing.
/// </summary>
internal static class WholeCall
{
    /// <summary>
    /// Waits until each expected stage (in <see cref="PipelineTests.Summary"/> form) was received or,
    /// for a popup, recorded as dropped; then a second more for any duplicate; then checks the guarantee.
    /// Returns what ELMA365 received of the call.
    /// </summary>
    public static async Task<List<string>> AssertDeliveredAsync(BridgeFixture bridge, string callId, IReadOnlyCollection<string> expected, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!Settled(PipelineTests.Summary(bridge.Elma365.Received, callId), await DroppedAsync(bridge.Calls, callId), expected))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{callId} did not settle within {patience}: received {string.Join(", ", PipelineTests.Summary(bridge.Elma365.Received, callId))}; dropped {string.Join(", ", await DroppedAsync(bridge.Calls, callId))}");
            await Task.Delay(100);
        }

        await Task.Delay(1000);
        var received = bridge.Elma365.Received;
        var summary = PipelineTests.Summary(received, callId);
        var dropped = await DroppedAsync(bridge.Calls, callId);
        Assert.True(summary.Count == summary.Distinct().Count(), $"{callId} delivered twice: {string.Join(", ", summary)}");
        Assert.Empty(summary.Except(expected));
        Assert.All(expected.Except(summary), missing => Assert.True(
            DroppedKey(missing) is { } key && dropped.Contains(key),
            $"{callId}: {missing} was neither delivered nor dropped as a late popup (dropped: {string.Join(", ", dropped)})"));
        PipelineTests.AssertInCallOrder(received, callId);
        return summary;
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
