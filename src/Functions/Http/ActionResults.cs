using Megafon.Core.Http;
using Megafon.Core.Intake;
using Microsoft.AspNetCore.Mvc;

namespace Megafon.Functions.Http;

internal static class ActionResults
{
    public static IActionResult ToActionResult(this ApiResult result) =>
        new JsonResult(result.Body) { StatusCode = result.StatusCode };
}
