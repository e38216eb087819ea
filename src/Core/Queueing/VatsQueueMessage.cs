namespace Megafon.Core.Queueing;

/// <summary>
/// One accepted webhook on its way to ELMA365: the PBX's fields as received (less the
/// credential), so a replay later parses exactly what the PBX sent.
/// </summary>
public sealed record VatsQueueMessage(
    Dictionary<string, string> Fields,
    DateTimeOffset ReceivedAt,
    int Attempt = 1)
{
    public const int SchemaVersion = 1;

    public int V { get; init; } = SchemaVersion;

    /// <summary>
    /// This webhook's identity on the queue: kept by its retries and replays, different for a
    /// copy the PBX sent twice. A call's claim names it, so a copy never passes for a retry.
    /// </summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("N");
}
