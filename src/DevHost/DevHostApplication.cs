using Megafon.Core.DependencyInjection;
using Megafon.Core.Diagnostics;
using Megafon.Core.Reconciliation;
using Megafon.Core.Queueing;
using Megafon.Functions.Http;
using Microsoft.Extensions.Options;

namespace Megafon.DevHost;

/// <summary>
/// Runs the Functions app's own function classes on Kestrel, for machines without Azure
/// Functions Core Tools. Same DI composition as src/Functions/Program.cs; never the production path.
/// </summary>
public static class DevHostApplication
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Its own folder as the content root, so it runs the same from the repository root or elsewhere.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddBridgeConsole();
        configure?.Invoke(builder);

        builder.Services.AddMegafonBridge(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddOptions<DevHostOptions>().Bind(builder.Configuration.GetSection(DevHostOptions.Section));
        builder.Services.AddSingleton<FunctionKeys>();

        var catalog = new FunctionCatalog(typeof(VatsWebhook).Assembly);
        var hostJson = builder.Configuration.GetSection(DevHostOptions.Section).Get<DevHostOptions>()?.HostJsonPath ?? new DevHostOptions().HostJsonPath;
        builder.Services.AddSingleton(QueueTriggerSettings.Load(hostJson));
        var runQueueTriggers = builder.Configuration.GetSection(DevHostOptions.Section).GetValue(nameof(DevHostOptions.RunQueueTriggers), true);
        foreach (var function in runQueueTriggers ? catalog.Queue : [])
        {
            builder.Services.AddSingleton<IHostedService>(provider => new QueueTriggerListener(
                function,
                provider.GetRequiredService<UndecodedQueues>(),
                provider.GetRequiredService<QueueTriggerSettings>(),
                provider.GetRequiredService<IOptions<DevHostOptions>>().Value.MessageLease,
                provider,
                provider.GetRequiredService<ILogger<QueueTriggerListener>>()));
        }

        foreach (var function in catalog.Timer.Where(f => !IsDisabled(builder.Configuration, f.Name)))
        {
            builder.Services.AddSingleton<IHostedService>(provider => new TimerTriggerListener(
                function,
                TimerTriggerListener.Schedule(function, provider.GetRequiredService<TimerScheduleResolver>(), out var expression),
                expression,
                provider,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<TimerTriggerListener>>()));
        }

        var app = builder.Build();
        app.MapFunctions(catalog, HttpTriggerSettings.Load(hostJson));
        app.MapHostAdmin();
        return app;
    }

    // The Functions host's own switch for one function (AzureWebJobs.<name>.Disabled), honoured for timers.
    private static bool IsDisabled(IConfiguration configuration, string function) =>
        configuration.GetValue($"AzureWebJobs.{function}.Disabled", false) || configuration.GetValue($"AzureWebJobs:{function}:Disabled", false);
}
