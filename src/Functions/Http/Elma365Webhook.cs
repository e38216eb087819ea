using Megafon.Core.Intake;
using Megafon.Core.Telephony;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>ELMA365's VoipOnWebhookUpdated: the module tells the bridge its new webhook address.</summary>
public sealed class Elma365Webhook(WebhookRegistration registration)
{
    private const int MaxBodyBytes = 4096;

    [Function(nameof(Elma365Webhook))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "elma365/webhook")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await CappedBody.ReadAsync(request.Body, request.ContentLength, MaxBodyBytes, cancellationToken);
        var result = body is null
            ? Core.Http.ApiResult.Error(413, "body_too_large", $"A webhook registration may be at most {MaxBodyBytes} bytes.")
            : await registration.RegisterAsync(body, cancellationToken);
        return result.ToActionResult();
    }
}
