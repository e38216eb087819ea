using Megafon.Core.Telephony;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>ELMA365's VoipGetMembers: PBX users (and with ?groups=true departments) for user mapping.</summary>
public sealed class Members(MemberDirectory directory)
{
    [Function(nameof(Members))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "members")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var includeGroups = bool.TryParse(request.Query["groups"], out var groups) && groups;
        return (await directory.GetAsync(includeGroups, cancellationToken)).ToActionResult();
    }
}
