using Megafon.Core.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>Admin: reconciles now against the PBX's history, over the last window or ?from=&amp;to= (master key).</summary>
public sealed class ReconcileNow(ReconcileAdmin reconcile)
{
    [Function(nameof(ReconcileNow))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/reconcile")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await reconcile.RunAsync(request.Query["from"].FirstOrDefault(), request.Query["to"].FirstOrDefault(), cancellationToken)).ToActionResult();
}
