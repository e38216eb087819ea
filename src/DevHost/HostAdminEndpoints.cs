using Microsoft.Azure.Functions.Worker;

namespace Megafon.DevHost;

/// <summary>
/// The two routes of the Functions host's own admin API that tools use to see that it runs:
/// <c>/admin/host/ping</c> (anonymous) and <c>/admin/host/status</c> (master key; as on the host a
/// function key gets 403 and no key 401), so scripts and tests wait for either host the same way.
/// </summary>
internal static class HostAdminEndpoints
{
    public static void MapHostAdmin(this WebApplication app)
    {
        app.MapMethods("/admin/host/ping", ["GET", "POST"], () => Results.Ok());
        app.MapGet("/admin/host/status", (HttpContext context, FunctionKeys keys) => keys.LevelOf(context.Request) switch
        {
            AuthorizationLevel.Admin => Results.Json(new { state = "Running", version = "DevHost" }),
            AuthorizationLevel.Function => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Results.StatusCode(StatusCodes.Status401Unauthorized),
        });
    }
}
