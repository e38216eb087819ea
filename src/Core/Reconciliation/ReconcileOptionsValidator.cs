using Microsoft.Extensions.Options;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// Checks what data annotations cannot: the schedule parses, and consecutive runs' windows overlap
/// by enough that a call missed by one run is seen by the next.
/// </summary>
public sealed class ReconcileOptionsValidator(TimeProvider time) : IValidateOptions<ReconcileOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ReconcileSchedule.TryParse(options.Schedule) is not { } schedule)
        {
            return ValidateOptionsResult.Fail($"Reconcile__Schedule '{options.Schedule}' is not an NCRONTAB expression: use six fields with seconds first, e.g. 0 */5 * * * * (every 5 minutes).");
        }

        var gap = ReconcileSchedule.LongestGap(schedule, time.GetUtcNow().UtcDateTime);
        var needed = ReconcileWindow.MinimumWindow(gap, options.WebhookGrace);
        return needed is null
            ? ValidateOptionsResult.Fail($"Reconcile__Schedule '{options.Schedule}' runs less than twice in five weeks; reconciliation must run at least daily to keep up with the PBX.")
            : options.Window < needed
                ? ValidateOptionsResult.Fail($"Reconcile__Window ({options.Window}) must be at least {needed}: Reconcile__WebhookGrace plus twice the longest time between runs of Reconcile__Schedule ({gap}), so that consecutive runs overlap.")
                : ValidateOptionsResult.Success;
    }
}
