using Megafon.Core.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>
/// The address pasted into the PBX's "Интеграция с CRM" card. Anonymous at the host level: the
/// PBX authenticates with <c>crm_token</c> in the body, checked by the intake.
/// </summary>
public sealed class VatsWebhook(VatsWebhookIntake intake)
{
    [Function(nameof(VatsWebhook))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vats/webhook")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await intake.AcceptAsync(request.ContentType, request.ContentLength, request.Body, cancellationToken);
        return result.ToActionResult();
    }
}
