using Megafon.Core.Http;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// <c>POST /api/ops/reconcile</c>: runs a reconciliation now, over the last <c>Reconcile__Window</c>
/// or the admin's <c>from</c>/<c>to</c>, and answers what it found and did.
/// </summary>
public sealed class ReconcileAdmin(CallHistoryReconciler reconciler, IOptions<ReconcileOptions> options, TimeProvider time)
{
    public async Task<ApiResult> RunAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        if (ReconcileWindow.Requested(from, to, time.GetUtcNow(), options.Value.Window, out var error) is not { } window)
        {
            return ApiResult.Error(400, "invalid_field", error!.Value.Message, error.Value.Field);
        }

        var outcome = await reconciler.RunAsync(window, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            { Report: { } report } => ApiResult.Ok(report.ToAnswer()),
            { Failure: { } failure } => ApiResult.Error(failure.StatusCode, failure.Code, failure.Message),
            _ => ApiResult.Error(409, "reconcile_running", "Another reconciliation is running (the timer's or another admin's); try again in a minute."),
        };
    }
}
