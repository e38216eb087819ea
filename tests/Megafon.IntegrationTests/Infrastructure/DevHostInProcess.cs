using Megafon.DevHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>The DevHost on Kestrel inside the test process, its logs captured in memory.</summary>
internal sealed class DevHostInProcess : IBridgeHost
{
    private readonly WebApplication _app;

    private DevHostInProcess(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    // As a console logger writes an entry (the Functions host's included): the message, then its exception.
    public IReadOnlyList<HostLogEntry> Log =>
        [.. Logs.GetSnapshot().Select(r => new HostLogEntry(r.Timestamp, r.Level.ToString(), r.Category ?? string.Empty, r.Exception is null ? r.Message ?? string.Empty : $"{r.Message}\n{r.Exception}"))];

    public static async Task<DevHostInProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = DevHostApplication.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Information);

            // Its trigger's per-message line ("Trigger Details: …"), which the Functions host logs at Information.
            builder.Logging.AddFilter("Megafon.DevHost", LogLevel.Debug);
            builder.Logging.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DevHostInProcess(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
