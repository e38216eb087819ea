using System.Globalization;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// The period of the PBX's history one run reads. A scheduled run looks back <c>Reconcile__Window</c>
/// from now; an admin's run may name its own <c>from</c> and <c>to</c>. Bounds are widened to whole
/// seconds (the PBX's resolution), so rounding never drops a call at the edge.
/// </summary>
public readonly record struct ReconcileWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The longest period one run may read: about as long as the PBX keeps recordings.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(7);

    // The PBX's clock may be a little ahead of ours; a "to" slightly in the future is not a mistake.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] Formats = ["yyyyMMdd'T'HHmmss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public TimeSpan Span => To - From;

    public static ReconcileWindow Scheduled(DateTimeOffset now, TimeSpan window) => new(Floor(now - window), Ceiling(now));

    /// <summary>
    /// An admin's window: <paramref name="from"/> defaults to <paramref name="window"/> before
    /// <paramref name="to"/>, which defaults to now. Null with <paramref name="error"/> when the values make no sense.
    /// </summary>
    public static ReconcileWindow? Requested(string? from, string? to, DateTimeOffset now, TimeSpan window, out (string Field, string Message)? error)
    {
        error = null;
        DateTimeOffset end = now, start;
        if (!string.IsNullOrWhiteSpace(to) && !TryParseTime(to, out end))
        {
            error = ("to", "to must be a UTC time such as 20261124T093000Z or 2026-11-24T09:30:00Z.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(from))
        {
            start = end - window;
        }
        else if (!TryParseTime(from, out start))
        {
            error = ("from", "from must be a UTC time such as 20261124T093000Z or 2026-11-24T09:30:00Z.");
            return null;
        }

        if (start >= end)
        {
            error = ("from", "from must be earlier than to.");
            return null;
        }

        if (end > now + ClockSkew)
        {
            error = ("to", "to must not be in the future.");
            return null;
        }

        var result = new ReconcileWindow(Floor(start), Ceiling(end));
        if (result.Span > MaxSpan)
        {
            error = ("from", $"A run reads at most {MaxSpan.TotalDays:0} days of history; split the period.");
            return null;
        }

        return result;
    }

    /// <summary>
    /// The shortest window that lets consecutive runs overlap. A run at T reads calls that started
    /// after T − window and ended before T − grace; a call of length L is read by some run when
    /// window − grace − L ≥ the longest gap between runs. This minimum covers calls up to one gap
    /// long; the default (2 h against 5 min) covers calls up to 1 h 53 min.
    /// </summary>
    public static TimeSpan? MinimumWindow(TimeSpan? longestGap, TimeSpan grace) =>
        longestGap is { } gap ? grace + gap + gap : null;

    /// <summary>True when a call that ended at <paramref name="end"/> may be reconciled now rather than left to its webhook.</summary>
    public static bool IsSettled(DateTimeOffset end, DateTimeOffset now, TimeSpan grace) => end <= now - grace;

    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static DateTimeOffset Floor(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Ceiling(DateTimeOffset time)
    {
        var floor = Floor(time);
        return floor.UtcTicks == time.UtcTicks ? floor : floor.AddSeconds(1);
    }
}
