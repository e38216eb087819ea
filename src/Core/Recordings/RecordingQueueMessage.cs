namespace Megafon.Core.Recordings;

/// <summary>
/// A request to archive one call's recording, on the <c>recordings</c> queue. Carries the link as
/// accepted when it was stored, and the call's start, which dates the blob.
/// </summary>
public sealed record RecordingQueueMessage(
    string CallId,
    string Link,
    DateTimeOffset? StartedAt,
    DateTimeOffset RequestedAt,
    int Attempt = 1)
{
    public const int SchemaVersion = 1;

    public int V { get; init; } = SchemaVersion;
}

/// <summary>A recording the archiver gave up on, with why.</summary>
public sealed record PoisonedRecording(RecordingQueueMessage Message, string Reason, DateTimeOffset PoisonedAt);
