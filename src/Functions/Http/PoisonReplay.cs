using Megafon.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>Admin: puts poisoned messages back on their queue, all or one call's (?callId=), of vats-events or ?queue=recordings.</summary>
public sealed class PoisonReplay(PoisonAdmin poison)
{
    [Function(nameof(PoisonReplay))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/poison/replay")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await poison.ReplayAsync(request.Query["queue"].FirstOrDefault(), request.Query["callId"].FirstOrDefault(), cancellationToken)).ToActionResult();
}
