using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Megafon.DevHost;

/// <summary>Serves each HTTP-triggered function on its Functions route (host.json routePrefix, then the trigger's route).</summary>
internal static class HttpFunctionEndpoints
{
    public static void MapFunctions(this WebApplication app, FunctionCatalog catalog, HttpTriggerSettings settings)
    {
        // One endpoint per route, choosing the function by method: a method no function takes is
        // 404, as the Functions host answers it (ASP.NET Core's own routing would say 405).
        foreach (var route in catalog.Http.GroupBy(f => f.Route, StringComparer.OrdinalIgnoreCase))
        {
            app.Map(settings.PathOf(route.Key), context =>
                route.FirstOrDefault(f => f.Verbs.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)) is { } function
                    ? InvokeAsync(function, context)
                    : NotFound(context));
        }
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
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
