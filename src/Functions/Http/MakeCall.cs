using Megafon.Core.Telephony;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>ELMA365's VoipGenerateCall: click-to-call.</summary>
public sealed class MakeCall(CallInitiator calls)
{
    private const int MaxBodyBytes = 4096;

    [Function(nameof(MakeCall))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "calls")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CappedRequest.HandleBodyAsync(request, MaxBodyBytes, "A call request", body => calls.StartAsync(body, cancellationToken), cancellationToken);
}
