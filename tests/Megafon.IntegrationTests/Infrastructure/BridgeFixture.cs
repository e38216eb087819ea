using Megafon.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Queueing;
using Megafon.Simulators;
using Microsoft.Extensions.Logging.Testing;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// The whole bridge with real parts: Azurite, the PBX and ELMA365 simulators on loopback, and a
/// host serving the Functions classes — the DevHost in process (this class), or the Azure
/// Functions host as a child process (a subclass overriding <see cref="HostKind"/>, e.g.
/// <see cref="FunctionsHostFixture"/>). One per test class; tests see the same surface on both.
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

    private IBridgeHost? _host;
    private FunctionsHostSandbox? _sandbox;
    private QueueServiceClient? _queues;

    /// <summary>Which host serves the functions; a subclass picks the Functions host by overriding this.</summary>
    public virtual BridgeHostKind HostKind => BridgeHostKind.DevHost;

    public AzuriteProcess Azurite { get; private set; } = null!;

    public VatsSimulator Vats { get; private set; } = null!;

    public Elma365Simulator Elma365 { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public VatsWebhookSender Pbx { get; private set; } = null!;

    public QueueClient Events { get; private set; } = null!;

    public QueueClient Poison { get; private set; } = null!;

    public TableClient Calls { get; private set; } = null!;

    /// <summary>The DevHost's captured logs, structured (scopes included). DevHost only: see <see cref="HostLog"/>.</summary>
    public FakeLogCollector Logs => DevHost("its captured log records (HostLog has the Functions host's console)").Logs;

    /// <summary>The DevHost's services. DevHost only: the Functions host runs the app in a worker process.</summary>
    public IServiceProvider Services => DevHost("its services (the app runs in the Functions host's worker process)").Services;

    /// <summary>What the host logged so far: the DevHost's log records, or the Functions host's console.</summary>
    public IReadOnlyList<HostLogEntry> HostLog => _host?.Log ?? [];

    /// <summary>Where recording links in scenarios point: the PBX simulator's own host passes the link policy.</summary>
    public string RecordingHost => Vats.ApiEndpoint.Authority.Split(':')[0];

    protected virtual bool RunQueueTriggers => true;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    /// <summary>
    /// Any queue of this bridge's storage, with the Base64 encoding the queue trigger reads (host.json):
    /// a test of a queue-triggered function writes its message here.
    /// </summary>
    public QueueClient Queue(string name) => _queues!.GetQueueClient(name);

    public virtual async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Vats = await VatsSimulator.StartAsync(VatsApiKey);
        Elma365 = await Elma365Simulator.StartAsync(Elma365Token, bridgeKey: ModuleKey);
        _queues = new QueueServiceClient(Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var queues = new VatsEventQueues(_queues);
        Events = queues.Events;
        Poison = queues.Poison;
        Calls = new CallStore(new TableServiceClient(Azurite.ConnectionString)).Table;
        await StartHostAsync();
    }

    /// <summary>The settings the host gets (a second host on the same storage, e.g. another DevHost, takes the same).</summary>
    public Dictionary<string, string?> HostSettings()
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
            // A push may take 10 s (a slow simulator on a busy machine is not an outage), and a call's
            // lease outlasts it with the margin start-up demands.
            ["Elma365:Timeout"] = "00:00:10",
            ["Processing:FirstRetryDelay"] = "00:00:00.200",
            ["Processing:MaxRetryDelay"] = "00:00:01",
            ["Processing:MaxAttempts"] = "4",
            ["Processing:CallLease"] = "00:00:20",
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

        return settings;
    }

    public async Task StartHostAsync()
    {
        var settings = HostSettings();
        if (HostKind == BridgeHostKind.DevHost)
        {
            _host = await DevHostInProcess.StartAsync(settings);
        }
        else
        {
            _sandbox ??= new FunctionsHostSandbox();
            _host = await FunctionsHostProcess.StartAsync(
                GetType().Name, _sandbox.Port, _sandbox.Secrets, MasterKey, FunctionKey, _sandbox.Environment(settings, RunQueueTriggers), StorageReadyAsync);
        }

        BaseAddress = _host.BaseAddress;
        Pbx = new VatsWebhookSender(Http, new Uri(BaseAddress, "api/vats/webhook"), CrmToken);
    }

    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
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

    public virtual async Task DisposeAsync()
    {
        await StopHostAsync();
        _sandbox?.Dispose();
        await Elma365.DisposeAsync();
        await Vats.DisposeAsync();
        await Azurite.DisposeAsync();
        Http.Dispose();
    }

    // The app creates its queues and table as it starts (StorageInitializer); the DevHost awaits
    // that before it listens, the Functions host's worker does it alongside.
    private async Task<bool> StorageReadyAsync()
    {
        if (!(await Events.ExistsAsync()).Value || !(await Poison.ExistsAsync()).Value)
        {
            return false;
        }

        await foreach (var _ in new TableServiceClient(Azurite.ConnectionString).QueryAsync(t => t.Name == CallStore.TableName))
        {
            return true;
        }

        return false;
    }

    private DevHostInProcess DevHost(string what) =>
        _host as DevHostInProcess ?? throw new NotSupportedException($"This fixture runs the {HostKind}; only the DevHost in process offers {what}.");
}

/// <summary>The bridge on the Azure Functions host.</summary>
public class FunctionsHostFixture : BridgeFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>The bridge with the queue trigger off: what intake queues stays on the queue to be looked at.</summary>
public class IntakeOnlyFixture : BridgeFixture
{
    protected override bool RunQueueTriggers => false;
}

public sealed class FunctionsHostIntakeOnlyFixture : IntakeOnlyFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}
