using Azure.Data.Tables;
using Megafon.Core.Calls;
using Megafon.Core.DependencyInjection;
using Megafon.Core.Processing;
using Megafon.Core.Queueing;
using Megafon.Simulators;
using Megafon.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// Azurite and the two simulators, without a host: a test composes the bridge itself (the same
/// AddMegafonBridge the hosts run) with the settings and clock it needs, and hands messages to
/// <see cref="VatsEventProcessor"/> directly, one at a time, to see exactly what each does.
/// </summary>
public sealed class ProcessorHarness : IAsyncLifetime
{
    public AzuriteProcess Azurite { get; private set; } = null!;

    public VatsSimulator Vats { get; private set; } = null!;

    public Elma365Simulator Elma365 { get; private set; } = null!;

    public TableClient Calls => new(Azurite.ConnectionString, CallStore.TableName);

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Vats = await VatsSimulator.StartAsync(BridgeFixture.VatsApiKey);
        Elma365 = await Elma365Simulator.StartAsync(BridgeFixture.Elma365Token, bridgeKey: BridgeFixture.ModuleKey);
    }

    public async Task DisposeAsync()
    {
        await Elma365.DisposeAsync();
        await Vats.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    /// <summary>The bridge's composition, started (its queues and tables exist), logging into a collector.</summary>
    public async Task<ComposedBridge> ComposeAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null, TimeProvider? clock = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Vats:Endpoint"] = Vats.ApiEndpoint.ToString(),
            ["Vats:ApiKey"] = BridgeFixture.VatsApiKey,
            ["Vats:CrmToken"] = BridgeFixture.CrmToken,
            ["Elma365:WebhookUrl"] = Elma365.WebhookUrl.ToString(),
            ["Elma365:Token"] = BridgeFixture.Elma365Token,
            ["Elma365:ModuleKey"] = BridgeFixture.ModuleKey,
            ["Elma365:Timeout"] = "00:00:05",
            ["Processing:CallLease"] = "00:00:20",
            ["Processing:MaxAttempts"] = "5",
            ["Recordings:Archive"] = "true",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(all);
        builder.Logging.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddMegafonBridge(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new ComposedBridge(host);
    }

    /// <summary>A webhook as intake queues it, received <paramref name="age"/> ago.</summary>
    public static VatsQueueMessage Message(VatsWebhook webhook, TimeSpan age = default) =>
        new(webhook.Fields.ToDictionary(f => f.Key, f => f.Value), DateTimeOffset.UtcNow - age);

    public static string RecordingHostOf(VatsSimulator vats) => vats.ApiEndpoint.GetLeftPart(UriPartial.Authority);
}

/// <summary>One composition of the bridge in the test process.</summary>
public sealed class ComposedBridge(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public VatsEventProcessor Processor => host.Services.GetRequiredService<VatsEventProcessor>();

    public CallStore Calls => host.Services.GetRequiredService<CallStore>();

    public VatsEventQueues Queues => host.Services.GetRequiredService<VatsEventQueues>();

    public FakeLogCollector Logs => host.Services.GetFakeLogCollector();

    public Task<ProcessingOutcome> HandleAsync(VatsQueueMessage message, long dequeueCount = 1, CancellationToken cancellationToken = default) =>
        Processor.HandleAsync(VatsEventQueues.Body(message), dequeueCount, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

/// <summary>The system clock moved by a fixed offset: an instance whose clock runs ahead or behind.</summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
