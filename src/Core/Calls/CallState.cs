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

    /// <summary>
    /// Messages waiting for the call while another holds it, by dedupe key, with when each began
    /// waiting: when the call frees up, an earlier stage (ring, answer, end, record) goes first.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Waiting { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>Dedupe keys of webhooks accepted but never pushed: stale (the call moved past them) or late popups.</summary>
    public IReadOnlySet<string> Dropped { get; init; } = new HashSet<string>();

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
        Waiting = Without(Waiting, key),
    };

    public CallState WithoutClaim(string key) =>
        Pending == key ? this with { Pending = null, PendingOwner = null, PendingSince = null } : this;

    /// <summary>Frees the call if <paramref name="owner"/> (a queue message id) holds it, whatever for.</summary>
    public CallState WithoutClaimOf(string owner) =>
        Pending is not null && PendingOwner == owner ? this with { Pending = null, PendingOwner = null, PendingSince = null } : this;

    /// <summary><paramref name="owner"/> holds the call from <paramref name="now"/> to push <paramref name="key"/>; it no longer waits.</summary>
    public CallState WithClaim(string key, string owner, DateTimeOffset now) =>
        this with { Pending = key, PendingOwner = owner, PendingSince = now, Waiting = Without(Waiting, key) };

    public CallState WithWaiting(string key, DateTimeOffset since) =>
        this with { Waiting = new Dictionary<string, DateTimeOffset>(Waiting) { [key] = since } };

    public CallState WithoutWaiting(string key) =>
        Waiting.ContainsKey(key) ? this with { Waiting = Without(Waiting, key) } : this;

    /// <summary>Accounts for a webhook that will never be pushed; it no longer waits either.</summary>
    public CallState WithDropped(string key) =>
        this with { Dropped = new HashSet<string>(Dropped) { key }, Waiting = Without(Waiting, key) };

    private static Dictionary<string, DateTimeOffset> Without(IReadOnlyDictionary<string, DateTimeOffset> waiting, string key)
    {
        var left = new Dictionary<string, DateTimeOffset>(waiting);
        left.Remove(key);
        return left;
    }
}
