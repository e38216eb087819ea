namespace Megafon.Core.Operations;

/// <summary>One message of a poison queue as an admin sees it: its call, what the listing shows, and what replaying it puts back.</summary>
internal sealed record PoisonEntry(string? CallId, IReadOnlyDictionary<string, object?> Listing, object Payload);

/// <summary>What a replay does with one poisoned message, decided before it is put back.</summary>
internal abstract record ReplayVerdict
{
    public static ReplayVerdict Replay { get; } = new PutBack();

    /// <summary>Put it back on its queue as a first attempt.</summary>
    public sealed record PutBack : ReplayVerdict;

    /// <summary>Putting it back would not reach ELMA365 (delivered already, stale, a late popup, archived already): removed, and reported with why.</summary>
    public sealed record Drop(string Reason) : ReplayVerdict;
}
