namespace Megafon.Core.Recordings;

/// <summary>What became of one <c>recordings</c> message; also the metric tag.</summary>
public enum ArchiveOutcome
{
    Archived,
    AlreadyArchived,
    RetryScheduled,
    Poisoned,

    /// <summary>Archiving is off (<c>Recordings__Archive=false</c>): the message is dropped.</summary>
    Skipped,
}
