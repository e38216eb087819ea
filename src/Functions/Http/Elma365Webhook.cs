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
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "elma365/webhook")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CappedRequest.HandleBodyAsync(request, MaxBodyBytes, "A webhook registration", body => registration.RegisterAsync(body, cancellationToken), cancellationToken);
}
