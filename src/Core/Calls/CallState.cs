using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Calls;

/// <summary>
/// What the bridge knows and has delivered for one call (one PBX <c>callid</c>). Stored as one
/// Table Storage entity, so every decision about a call is made against one consistent picture.
/// </summary>
public sealed record CallState
{
    public static CallState New { get; } = new();

    public VatsCallDirection? Direction { get; init; }

    /// <summary>The member (ext, else login) who answered; their card must not be closed by another leg's CANCELLED.</summary>
    public string? AnsweredBy { get; init; }

    /// <summary>The call as a whole is over (COMPLETED, TRANSFERRED or history seen): no card may open again.</summary>
    public bool Ended { get; init; }

    public bool HistoryRecorded { get; init; }

    /// <summary>Members whose own leg was cancelled (group calls ring several people).</summary>
    public IReadOnlySet<string> EndedLegs { get; init; } = new HashSet<string>();

    /// <summary>Dedupe keys of what ELMA365 has accepted for this call.</summary>
    public IReadOnlySet<string> Delivered { get; init; } = new HashSet<string>();

    /// <summary>The dedupe key being pushed right now, and since when: a short per-call lease that keeps pushes in order.</summary>
    public string? Pending { get; init; }

    /// <summary>The queue message (<see cref="Queueing.VatsQueueMessage.Id"/>) holding the claim.</summary>
    public string? PendingOwner { get; init; }

    public DateTimeOffset? PendingSince { get; init; }

    public string? Link { get; init; }

    /// <summary>History arrived without a usable recording link; one may be fetched later.</summary>
    public bool LinkMissing { get; init; }

    /// <summary>The recording's blob in the <c>recordings</c> container, once archived.</summary>
    public string? RecordingBlob { get; init; }

    public DateTimeOffset? RecordingArchivedAt { get; init; }

    public string? Status { get; init; }

    public string? Disposition { get; init; }

    public int? DurationSeconds { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public string? SecondCallId { get; init; }

    public string? TransferredFrom { get; init; }

    public string? Rating { get; init; }

    public CallState WithDelivered(string key) => this with
    {
        Delivered = new HashSet<string>(Delivered) { key },
        Pending = Pending == key ? null : Pending,
        PendingOwner = Pending == key ? null : PendingOwner,
        PendingSince = Pending == key ? null : PendingSince,
    };

    public CallState WithoutClaim(string key) =>
        Pending == key ? this with { Pending = null, PendingOwner = null, PendingSince = null } : this;
}
