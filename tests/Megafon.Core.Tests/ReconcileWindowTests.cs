using Megafon.Core.Reconciliation;

namespace Megafon.Core.Tests;

public sealed class ReconcileWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 30, 500, TimeSpan.Zero);

    [Fact]
    public void A_scheduled_run_reads_the_window_up_to_now_widened_to_whole_seconds()
    {
        var window = ReconcileWindow.Scheduled(Now, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 30, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 12, 0, 31, TimeSpan.Zero), window.To);
    }

    [Fact]
    public void Consecutive_scheduled_runs_overlap_by_the_window_less_the_interval()
    {
        var first = ReconcileWindow.Scheduled(Now, TimeSpan.FromHours(2));
        var second = ReconcileWindow.Scheduled(Now.AddMinutes(5), TimeSpan.FromHours(2));

        Assert.Equal(TimeSpan.FromMinutes(115) + TimeSpan.FromSeconds(1), first.To - second.From);
    }

    [Theory]
    [InlineData(null, null, "2026-11-24T10:00:30Z", "2026-11-24T12:00:31Z")]
    [InlineData("20261124T080000Z", null, "2026-11-24T08:00:00Z", "2026-11-24T12:00:31Z")]
    [InlineData(null, "2026-11-24T11:00:00Z", "2026-11-24T09:00:00Z", "2026-11-24T11:00:00Z")]
    [InlineData("2026-11-24T12:00:00+03:00", "20261124T100000Z", "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z")]
    public void An_admin_names_from_and_to_or_takes_the_defaults(string? from, string? to, string expectedFrom, string expectedTo)
    {
        var window = ReconcileWindow.Requested(from, to, Now, TimeSpan.FromHours(2), out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expectedFrom, System.Globalization.CultureInfo.InvariantCulture), window!.Value.From);
        Assert.Equal(DateTimeOffset.Parse(expectedTo, System.Globalization.CultureInfo.InvariantCulture), window.Value.To);
    }

    [Theory]
    [InlineData("yesterday", null, "from")]
    [InlineData(null, "24.11.2026", "to")]
    [InlineData("20261124T110000Z", "20261124T100000Z", "from")]
    [InlineData(null, "20261125T000000Z", "to")]
    [InlineData("20261101T000000Z", "20261124T000000Z", "from")]
    public void A_window_that_makes_no_sense_is_refused_naming_the_field(string? from, string? to, string field)
    {
        Assert.Null(ReconcileWindow.Requested(from, to, Now, TimeSpan.FromHours(2), out var error));
        Assert.Equal(field, error!.Value.Field);
    }

    [Fact]
    public void A_call_is_left_to_its_webhook_until_the_grace_after_its_end_has_passed()
    {
        var grace = TimeSpan.FromMinutes(2);

        Assert.False(ReconcileWindow.IsSettled(Now.AddSeconds(-119), Now, grace));
        Assert.True(ReconcileWindow.IsSettled(Now.AddSeconds(-120), Now, grace));
    }

    [Theory]
    [InlineData("0 */5 * * * *", 300)]
    [InlineData("*/10 * * * *", 600)]
    [InlineData("0 0 * * * *", 3600)]
    [InlineData("0 0 9 * * 1-5", 3 * 86400)]
    public void The_longest_gap_between_runs_follows_the_ncrontab_schedule(string schedule, int seconds)
    {
        var parsed = ReconcileSchedule.TryParse(schedule)!;

        Assert.Equal(TimeSpan.FromSeconds(seconds), ReconcileSchedule.LongestGap(parsed, new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Every_call_up_to_one_gap_long_falls_in_some_run_of_the_minimum_window()
    {
        var gap = TimeSpan.FromMinutes(5);
        var grace = TimeSpan.FromMinutes(2);
        var window = ReconcileWindow.MinimumWindow(gap, grace)!.Value;
        var runs = Enumerable.Range(0, 100).Select(i => Now.AddTicks(gap.Ticks * i)).ToList();

        // Calls of every length up to one gap, ending at every second between two runs.
        for (var length = 0; length <= gap.TotalSeconds; length += 30)
        {
            for (var endOffset = 0; endOffset < gap.TotalSeconds; endOffset += 7)
            {
                var end = Now.AddMinutes(20).AddSeconds(endOffset);
                var start = end.AddSeconds(-length);
                Assert.Contains(runs, run =>
                {
                    var w = ReconcileWindow.Scheduled(run, window);
                    return start >= w.From && ReconcileWindow.IsSettled(end, run, grace);
                });
            }
        }
    }

    [Theory]
    [InlineData("0 */5 * * * *", "02:00:00", null)]
    [InlineData("0 0 * * * *", "02:00:00", "Reconcile__Window (02:00:00) must be at least 02:02:00")]
    [InlineData("every five minutes", "02:00:00", "Reconcile__Schedule 'every five minutes' is not an NCRONTAB expression")]
    [InlineData("0 0 0 1 1 *", "02:00:00", "runs less than twice in five weeks")]
    public void Options_validation_names_the_setting_that_breaks_the_overlap(string schedule, string window, string? expected)
    {
        var validator = new ReconcileOptionsValidator(new FixedTime(Now));

        var result = validator.Validate(null, new ReconcileOptions { Schedule = schedule, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) });

        if (expected is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }
    }
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
