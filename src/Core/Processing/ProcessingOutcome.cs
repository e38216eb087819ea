namespace Megafon.Core.Processing;

/// <summary>What became of one queue message; also the metric tag.</summary>
public enum ProcessingOutcome
{
    Delivered,
    Recorded,
    Duplicate,
    Stale,
    RetryScheduled,
    Deferred,
    Poisoned,
}
