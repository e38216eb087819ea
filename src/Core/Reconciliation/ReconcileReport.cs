namespace Megafon.Core.Reconciliation;

/// <summary>What one run found in the PBX's history and what it did about it.</summary>
public sealed record ReconcileReport(ReconcileWindow Window, IReadOnlyDictionary<ReconcileAction, int> Counts, bool Truncated)
{
    /// <summary>Calls of the history that the run examined, unreadable lines included.</summary>
    public int Calls => Counts.Values.Sum();

    public int this[ReconcileAction action] => Counts.GetValueOrDefault(action);

    /// <summary>The admin endpoint's answer: the four numbers the issue names first, then the rest.</summary>
    public Dictionary<string, object> ToAnswer() => new()
    {
        ["calls"] = Calls,
        ["delivered"] = this[ReconcileAction.Deliver],
        ["linksFilled"] = this[ReconcileAction.FillLink],
        ["complete"] = this[ReconcileAction.Complete],
        ["inFlight"] = this[ReconcileAction.InFlight],
        ["recent"] = this[ReconcileAction.Recent],
        ["deferred"] = this[ReconcileAction.Deferred],
        ["unreadable"] = this[ReconcileAction.Unreadable],
        ["truncated"] = Truncated,
        ["from"] = Window.From,
        ["to"] = Window.To,
    };
}

/// <summary>How a run ended: done (with its report), not run because another run holds the lock, or failed with a reason.</summary>
public sealed record ReconcileOutcome(ReconcileReport? Report, ReconcileFailure? Failure)
{
    public static ReconcileOutcome Busy { get; } = new(null, null);

    public bool Skipped => Report is null && Failure is null;
}

/// <summary>Why a run failed; <see cref="Code"/> is the metric tag and the admin endpoint's error code.</summary>
public sealed record ReconcileFailure(string Code, string Message, int StatusCode);
