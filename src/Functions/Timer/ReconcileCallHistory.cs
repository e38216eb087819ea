using Megafon.Core.Reconciliation;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Timer;

/// <summary>
/// Reconciles the bridge's calls against the PBX's own history on <c>Reconcile__Schedule</c>
/// (default every 5 minutes): what the PBX's webhooks lost reaches ELMA365 all the same.
/// </summary>
public sealed class ReconcileCallHistory(CallHistoryReconciler reconciler)
{
    [Function(nameof(ReconcileCallHistory))]
    public async Task Run([TimerTrigger(ReconcileOptions.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await reconciler.RunScheduledAsync(cancellationToken);
        if (outcome.Failure is { } failure)
        {
            // Logged and counted already; failing the invocation makes it show as failed too.
            throw new ReconcileFailedException($"{failure.Code}: {failure.Message}");
        }
    }
}
