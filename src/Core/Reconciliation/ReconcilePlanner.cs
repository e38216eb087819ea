using Megafon.Core.Calls;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// Decides per call from the <c>calls</c> table alone, through the same <see cref="CallPolicy"/>
/// that decides a history webhook: what it would deliver is delivered, what it would only record
/// (a late link) is recorded, what it would drop as a duplicate is complete. Pure.
/// </summary>
public static class ReconcilePlanner
{
    /// <param name="state">The call's row (<see cref="CallState.New"/> when the bridge never saw the call).</param>
    /// <param name="history">The PBX's history of the call, as its webhook would have carried it.</param>
    /// <param name="acceptedLink">The export's recording link if the bridge's link policy passes it, else null.</param>
    /// <param name="queuedAt">When an earlier run queued this call's history, if one did.</param>
    /// <param name="inFlightFor">How long a queued or retrying delivery is trusted to finish on its own.</param>
    public static ReconcileAction Decide(
        CallState state,
        VatsCallHistory history,
        string? acceptedLink,
        DateTimeOffset? queuedAt,
        DateTimeOffset now,
        TimeSpan grace,
        TimeSpan inFlightFor)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        var end = history.Start.AddSeconds((history.WaitSeconds ?? 0) + (long)history.DurationSeconds);
        if (!ReconcileWindow.IsSettled(end, now, grace))
        {
            return ReconcileAction.Recent;
        }

        switch (CallPolicy.Decide(state, history, acceptedLink))
        {
            case CallDecision.Deliver:
                // Somebody is on it: a claim the processor renews on every retry, or an earlier run's message.
                var key = CallPolicy.DedupeKey(history);
                var claimed = state.Pending == key && state.PendingSince is { } since && now - since < inFlightFor;
                var queued = queuedAt is { } at && now - at < inFlightFor;
                return claimed || queued ? ReconcileAction.InFlight : ReconcileAction.Deliver;

            case CallDecision.Record:
                return ReconcileAction.FillLink;

            default:
                return ReconcileAction.Complete;
        }
    }
}
