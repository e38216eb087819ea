using Megafon.Core.Configuration;

namespace Megafon.Core.Calls;

/// <summary>
/// When a message may take its call, and when it must let another go first. A claim and a place
/// in the call's queue are stamped with the clock of the instance that wrote them; another
/// instance honours them for <see cref="ProcessingOptions.CallLease"/> plus
/// <see cref="ProcessingOptions.ClockSkew"/>. The holder itself measures its lease on its own
/// monotonic clock from before it wrote the claim, so no clock but its own is involved there.
/// </summary>
public sealed class CallClaimRules(ProcessingOptions processing, TimeSpan pushBudget)
{
    /// <summary>How long another instance's claim or place is honoured: the lease, and the clocks' possible difference.</summary>
    public TimeSpan HonouredFor => processing.CallLease + processing.ClockSkew;

    /// <summary>Another message holds the call and its lease has not run out.</summary>
    public bool IsHeldByAnother(CallState state, string messageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Pending is not null
            && state.PendingOwner != messageId
            && state.PendingSince is { } since
            && now - since < HonouredFor;
    }

    /// <summary>A message of an earlier stage of the call waits for it, and has not been gone for longer than a lease.</summary>
    public bool HasEarlierWaiter(CallState state, string key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stage = CallPolicy.Stage(key);
        return state.Waiting.Any(w => w.Key != key && CallPolicy.Stage(w.Key) < stage && now - w.Value < HonouredFor);
    }

    /// <summary>
    /// Whether <paramref name="key"/>'s place in the queue stands without being written again. A
    /// waiting message renews it halfway through the lease, so a live waiter keeps its place and
    /// a dead one (its instance killed) loses it after a lease.
    /// </summary>
    public bool HoldsPlace(CallState state, string key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Waiting.TryGetValue(key, out var since) && now - since < processing.CallLease / 2;
    }

    /// <summary>
    /// Whether a push may start <paramref name="sinceClaim"/> after its claim was written: it must
    /// end, whatever ELMA365 does, before the lease runs out. Otherwise the holder renews the claim first.
    /// </summary>
    public bool HasRoomToPush(TimeSpan sinceClaim) => sinceClaim + pushBudget + ProcessingOptions.CallLeaseMargin / 2 <= processing.CallLease;
}
