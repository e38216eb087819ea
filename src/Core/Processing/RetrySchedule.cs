using Megafon.Core.Configuration;

namespace Megafon.Core.Processing;

/// <summary>
/// Exponential backoff with jitter, so a fleet of messages waiting out an ELMA365 outage comes
/// back spread out instead of all at once; ELMA365's own Retry-After is honoured when longer.
/// </summary>
public static class RetrySchedule
{
    public static TimeSpan DelayBefore(int nextAttempt, TimeSpan? retryAfter, ProcessingOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        return DelayBefore(nextAttempt, retryAfter, options.FirstRetryDelay, options.MaxRetryDelay, jitter);
    }

    /// <summary>The same backoff for any queue's own retries (e.g. recordings the PBX has not finished yet).</summary>
    public static TimeSpan DelayBefore(int nextAttempt, TimeSpan? retryAfter, TimeSpan firstDelay, TimeSpan maxDelay, double jitter)
    {
        var exponent = Math.Clamp(nextAttempt - 2, 0, 30);
        var backoff = Math.Min(firstDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds(backoff * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1))));
        var wanted = retryAfter is { } asked && asked > jittered ? asked : jittered;

        // A queue message can be hidden for at most 7 days.
        return wanted > TimeSpan.FromDays(7) ? TimeSpan.FromDays(7) : wanted;
    }

    /// <summary>The longest an outage can delay a message before it is poisoned (jitter at its top).</summary>
    public static TimeSpan WorstCaseDelay(ProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = TimeSpan.Zero;
        for (var attempt = 2; attempt <= options.MaxAttempts; attempt++)
        {
            total += DelayBefore(attempt, null, options, jitter: 1);
        }

        return total;
    }
}
