namespace Megafon.Core.Vats.Api;

/// <summary>
/// One finished call of the PBX's <c>history</c> export. <see cref="Type"/> is the PBX's own word
/// (<c>in</c>, <c>out</c> or <c>missed</c>); the export carries no status, and a non-empty
/// <see cref="Account"/> does not mean the call was answered.
/// </summary>
public sealed record VatsHistoryCall(
    string CallId,
    string Type,
    string? Client,
    string? Account,
    string? Via,
    DateTimeOffset Start,
    int WaitSeconds,
    int DurationSeconds,
    string? Record)
{
    /// <summary>When the call ended: it rang for <see cref="WaitSeconds"/>, then lasted <see cref="DurationSeconds"/>.</summary>
    public DateTimeOffset End => Start.AddSeconds(WaitSeconds + (long)DurationSeconds);
}

/// <summary>What the export held: the calls it could read, and the line numbers it could not.</summary>
public sealed record VatsHistory(IReadOnlyList<VatsHistoryCall> Calls, IReadOnlyList<int> UnreadableLines);
