using Megafon.Core.Http;
using Megafon.Core.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Megafon.Functions.Http;

/// <summary>Hands a small request body to Core, or answers 413 without reading past the limit.</summary>
internal static class CappedRequest
{
    public static async Task<IActionResult> HandleBodyAsync(
        HttpRequest request, int maxBytes, string what, Func<byte[], Task<ApiResult>> handle, CancellationToken cancellationToken)
    {
        var body = await CappedBody.ReadAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        var result = body is null
            ? ApiResult.Error(413, "body_too_large", $"{what} may be at most {maxBytes} bytes.")
            : await handle(body);
        return result.ToActionResult();
    }
}
