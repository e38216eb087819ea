using Megafon.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Queueing;
using Megafon.DevHost;
using Megafon.Simulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// The whole bridge with real parts: Azurite, the PBX and ELMA365 simulators on loopback, and
/// the DevHost serving the Functions classes on Kestrel. One per test class.
/// </summary>
public class BridgeFixture : IAsyncLifetime
{
    public const string CrmToken = "crm-token-for-tests-0123456789";
    public const string VatsApiKey = "pbx-key-for-tests";
    public const string Elma365Token = "elma365-key-for-tests";
    public const string FunctionKey = "function-key-for-tests";
    public const string MasterKey = "master-key-for-tests";

    /// <summary>Elma365__ModuleKey: as in Azure, the same value as the host key the module calls with.</summary>
    public const string ModuleKey = FunctionKey;

    private WebApplication? _host;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public VatsSimulator Vats { get; private set; } = null!;

    public Elma365Simulator Elma365 { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public VatsWebhookSender Pbx { get; private set; } = null!;

    public QueueClient Events { get; private set; } = null!;

    public QueueClient Poison { get; private set; } = null!;

    public TableClient Calls { get; private set; } = null!;

    public FakeLogCollector Logs => _host!.Services.GetFakeLogCollector();

    public IServiceProvider Services => _host!.Services;

    /// <summary>Where recording links in scenarios point: the PBX simulator's own host passes the link policy.</summary>
    public string RecordingHost => Vats.ApiEndpoint.Authority.Split(':')[0];

    protected virtual bool RunQueueTriggers => true;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Vats = await VatsSimulator.StartAsync(VatsApiKey);
        Elma365 = await Elma365Simulator.StartAsync(Elma365Token, bridgeKey: ModuleKey);
        await StartHostAsync();
    }

    public async Task StartHostAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Vats:Endpoint"] = Vats.ApiEndpoint.ToString(),
            ["Vats:ApiKey"] = VatsApiKey,
            ["Vats:CrmToken"] = CrmToken,
            ["Elma365:WebhookUrl"] = Elma365.WebhookUrl.ToString(),
            ["Elma365:Token"] = Elma365Token,
            ["Elma365:ModuleKey"] = ModuleKey,
            ["Elma365:Timeout"] = "00:00:03",
            ["Processing:FirstRetryDelay"] = "00:00:00.200",
            ["Processing:MaxRetryDelay"] = "00:00:01",
            ["Processing:MaxAttempts"] = "4",
            ["Processing:CallLease"] = "00:00:05",
            ["DevHost:FunctionKey"] = FunctionKey,
            ["DevHost:MasterKey"] = MasterKey,
            ["DevHost:RunQueueTriggers"] = RunQueueTriggers.ToString(),
            ["DevHost:HostJsonPath"] = Path.Combine(RepositoryFolder.Root, "host.json"),

            // The reconciliation timer runs only where a test asks for it (the host's own switch).
            ["AzureWebJobs.ReconcileCallHistory.Disabled"] = "true",
        };
        foreach (var (key, value) in Settings())
        {
            settings[key] = value;
        }

        _host = DevHostApplication.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);
        });
        await _host.StartAsync();

        var address = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Pbx = new VatsWebhookSender(Http, new Uri(BaseAddress, "api/vats/webhook"), CrmToken);

        var queues = _host.Services.GetRequiredService<VatsEventQueues>();
        Events = queues.Events;
        Poison = queues.Poison;
        Calls = _host.Services.GetRequiredService<CallStore>().Table;
    }

    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
            _host = null;
        }
    }

    /// <summary>Messages on the queue, the ones still invisible (staged ends) included.</summary>
    public static async Task<int> QueuedCountAsync(QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public async Task SendAllAsync(IEnumerable<VatsWebhook> webhooks)
    {
        foreach (var webhook in webhooks)
        {
            using var response = await Pbx.SendAsync(webhook);
            Assert.True(response.IsSuccessStatusCode, $"{webhook.Describe()} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task DisposeAsync()
    {
        await StopHostAsync();
        await Elma365.DisposeAsync();
        await Vats.DisposeAsync();
        await Azurite.DisposeAsync();
        Http.Dispose();
    }
}

/// <summary>The bridge with the queue trigger off: what intake queues stays on the queue to be looked at.</summary>
public sealed class IntakeOnlyFixture : BridgeFixture
{
    protected override bool RunQueueTriggers => false;
}
