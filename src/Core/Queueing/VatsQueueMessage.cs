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
}
