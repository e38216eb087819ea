namespace Megafon.Bench.Load;

/// <summary>The HTTP ceiling: Kestrel on loopback answering 200 to the webhook route, doing nothing else.</summary>
internal static class BareServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/api/vats/webhook", () => Results.Ok());
        await app.RunAsync();
    }
}
