using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Reconciliation;

/// <summary>How the bridge reconciles its calls against the PBX's own history.</summary>
public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>The app setting holding the timer's schedule, as the timer attribute names it.</summary>
    public const string ScheduleSetting = "Reconcile__Schedule";

    /// <summary>The timer's schedule expression: resolved from <see cref="ScheduleSetting"/>, or <see cref="DefaultSchedule"/> when unset.</summary>
    public const string ScheduleExpression = "%" + ScheduleSetting + "%";

    /// <summary>Every five minutes, on the minute.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>When the timer runs (NCRONTAB with seconds, as the Functions timer trigger reads it).</summary>
    [Required(ErrorMessage = "Reconcile__Schedule must not be empty: an NCRONTAB expression such as 0 */5 * * * *.")]
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>How far back each run looks. Far longer than the time between runs, so every call is seen by many runs.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00", ErrorMessage = "Reconcile__Window must be between 00:10:00 and 7.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A call that ended less than this long ago is left to its own history webhook, which normally arrives within seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Reconcile__WebhookGrace must be between 00:00:00 and 01:00:00.")]
    public TimeSpan WebhookGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most calls one run reads from the PBX (sent as the history's <c>limit</c>).</summary>
    [Range(1, 100_000, ErrorMessage = "Reconcile__MaxCalls must be between 1 and 100000.")]
    public int MaxCalls { get; set; } = 5000;

    /// <summary>The most records one run queues; the rest are the next run's.</summary>
    [Range(1, 10_000, ErrorMessage = "Reconcile__MaxDeliveries must be between 1 and 10000.")]
    public int MaxDeliveries { get; set; } = 500;
}
