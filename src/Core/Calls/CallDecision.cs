using Megafon.Core.Elma365.Module;

namespace Megafon.Core.Calls;

/// <summary>What to do with one webhook given the call's state.</summary>
public abstract record CallDecision
{
    /// <summary>Push <paramref name="Message"/> to ELMA365, then remember <paramref name="Key"/> as delivered.</summary>
    public sealed record Deliver(Elma365Message Message, string Key, CallState NewState) : CallDecision;

    /// <summary>Nothing to push; only the stored state changes (e.g. a rating).</summary>
    public sealed record Record(CallState NewState) : CallDecision;

    /// <summary>Already delivered: the PBX or the queue sent it twice.</summary>
    public sealed record Duplicate(string Key) : CallDecision;

    /// <summary>
    /// Delivering it now would be wrong (a card reopening after the call ended, a popup long after
    /// the ring). <see cref="NewState"/>, when set, is what the webhook still tells about the call
    /// (its direction, who answered), recorded although nothing is pushed.
    /// </summary>
    public sealed record Stale(string Key, string Reason) : CallDecision
    {
        public CallState? NewState { get; init; }
    }
}
