using Megafon.Core.Intake;
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
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "calls")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await CappedBody.ReadAsync(request.Body, request.ContentLength, MaxBodyBytes, cancellationToken);
        var result = body is null
            ? Core.Http.ApiResult.Error(413, "body_too_large", $"A call request may be at most {MaxBodyBytes} bytes.")
            : await calls.StartAsync(body, cancellationToken);
        return result.ToActionResult();
    }
}
