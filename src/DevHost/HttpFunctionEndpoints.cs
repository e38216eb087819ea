using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Megafon.DevHost;

/// <summary>Serves each HTTP-triggered function on its Functions route (/api/...).</summary>
internal static class HttpFunctionEndpoints
{
    public static void MapFunctions(this WebApplication app, FunctionCatalog catalog)
    {
        foreach (var function in catalog.Http)
        {
            app.MapMethods(function.Route, function.Verbs, context => InvokeAsync(function, context)).WithName(function.Name);
        }
    }

    private static async Task InvokeAsync(HttpFunction function, HttpContext context)
    {
        if (!context.RequestServices.GetRequiredService<FunctionKeys>().Authorize(function.Trigger.AuthLevel, context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var result = await FunctionInvoker.InvokeAsync(context.RequestServices, function.Method, parameter =>
            parameter.ParameterType switch
            {
                var t when t == typeof(HttpRequest) => context.Request,
                var t when t == typeof(CancellationToken) => context.RequestAborted,
                var t => FunctionInvoker.Convert(context.Request.RouteValues[parameter.Name!]?.ToString(), t),
            });

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType());
                break;
        }
    }
}
