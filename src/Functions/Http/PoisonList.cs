using Megafon.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>Admin: what is in a poison queue and why (master key; routes under admin/ are the host's own). ?queue=recordings for recordings-poison, ?callId= for one call's messages wherever they are.</summary>
public sealed class PoisonList(PoisonAdmin poison)
{
    [Function(nameof(PoisonList))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/poison")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await poison.ListAsync(request.Query["queue"].FirstOrDefault(), request.Query["callId"].FirstOrDefault(), cancellationToken)).ToActionResult();
}
