using Megafon.Core.Telephony;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Http;

/// <summary>ELMA365's VoipTestConnection: «Проверить подключение».</summary>
public sealed class ConnectionTest(ConnectionCheck check)
{
    [Function(nameof(ConnectionTest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "connection-test")] HttpRequest request,
        CancellationToken cancellationToken) =>
        (await check.RunAsync(cancellationToken)).ToActionResult();
}
