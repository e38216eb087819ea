using NCrontab;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// NCRONTAB schedules read the way the Functions timer trigger reads them: five fields, or six
/// with seconds first (the trigger's own rule), with the same NCrontab library the host uses.
/// </summary>
public static class ReconcileSchedule
{
    // How far ahead the gaps between runs are measured: a month covers weekly and monthly patterns.
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(35);
    private const int MaxOccurrences = 50_000;

    public static CrontabSchedule? TryParse(string? expression) =>
        string.IsNullOrWhiteSpace(expression)
            ? null
            : CrontabSchedule.TryParse(expression.Trim(), new CrontabSchedule.ParseOptions { IncludingSeconds = FieldCount(expression) != 5 });

    /// <summary>
    /// The longest wait between two runs, measured over the next five weeks from <paramref name="from"/>;
    /// null when the schedule runs fewer than twice in that time.
    /// </summary>
    public static TimeSpan? LongestGap(CrontabSchedule schedule, DateTime from)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        TimeSpan? longest = null;
        DateTime? previous = null;
        var count = 0;
        foreach (var next in schedule.GetNextOccurrences(from, from + Horizon))
        {
            if (previous is { } p && (longest is null || next - p > longest))
            {
                longest = next - p;
            }

            previous = next;
            if (++count >= MaxOccurrences)
            {
                break;
            }
        }

        return longest;
    }

    private static int FieldCount(string expression) =>
        expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
