using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Intake;
using Megafon.Core.Operations;
using Megafon.Core.Processing;
using Megafon.Core.Queueing;
using Megafon.Core.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Megafon.Core.DependencyInjection;

/// <summary>
/// The one composition of the bridge, used by the Functions host, the DevHost and the tests
/// alike, so all three run the same objects. Each side or capability registers itself in a file
/// of its own beside this one; this method only lists them.
/// </summary>
public static class BridgeServiceCollectionExtensions
{
    public static IServiceCollection AddMegafonBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddBridgeStorage(StorageOptions.From(configuration));
        services.AddVats(configuration);
        services.AddElma365Module(configuration);
        services.AddRecordings(configuration);
        services.AddContactLookup(configuration);
        services.AddBridgeLogFilters();

        // Options: bound from the same keys everywhere (Processing__MaxAttempts, ...), checked when
        // the host starts so a wrong setting stops the app with its name instead of failing a call later.
        services.AddProcessing(configuration);

        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }

        services.AddMetrics();
        services.AddSingleton<BridgeMetrics>();
        services.AddSingleton<CrmTokenVerifier>();
        services.AddSingleton<RecordingLinkPolicy>();
        services.AddSingleton<VatsEventQueues>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<VatsWebhookIntake>();
        services.AddSingleton<VatsEventProcessor>();
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<CallInitiator>();
        services.AddSingleton<CallLinkResolver>();
        services.AddSingleton<ConnectionCheck>();
        services.AddPoisonAdmin();
        services.AddReconciliation(configuration);
        return services;
    }
}
