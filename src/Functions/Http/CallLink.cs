using Megafon.Core.Telephony;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>ELMA365's VoipGetCallLink: the recording link of a call.</summary>
public sealed class CallLink(CallLinkResolver links)
{
    [Function(nameof(CallLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "calls/{callId}/link")] HttpRequest request,
        string callId,
        CancellationToken cancellationToken) =>
        (await links.GetAsync(callId, cancellationToken)).ToActionResult();
}
