using System.Text.Json;

namespace Megafon.DevHost;

/// <summary>The HTTP trigger settings of host.json (extensions.http), with the Functions defaults.</summary>
public sealed record HttpTriggerSettings(string RoutePrefix)
{
    public static HttpTriggerSettings Load(string hostJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var prefix = document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var value)
                ? value.GetString() ?? string.Empty
                : "api";
        return new HttpTriggerSettings(prefix.Trim('/'));
    }

    /// <summary>The path a function's route is served at: /{routePrefix}/{route}, or /{route} with an empty prefix.</summary>
    public string PathOf(string route) =>
        RoutePrefix.Length == 0 ? "/" + route.TrimStart('/') : $"/{RoutePrefix}/{route.TrimStart('/')}";
}
