using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Elma365;
using Megafon.Core.Intake;
using Megafon.Core.Processing;
using Megafon.Core.Operations;
using Megafon.Core.Queueing;
using Megafon.Core.Telephony;
using Megafon.Core.Vats.Api;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Megafon.Core.DependencyInjection;

/// <summary>
/// The one composition of the bridge, used by the Functions host, the DevHost and the tests
/// alike, so all three run the same objects.
/// </summary>
public static class BridgeServiceCollectionExtensions
{
    public static IServiceCollection AddMegafonBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Options: bound from the same keys everywhere (Vats__ApiKey, ...), checked when the host
        // starts so a missing setting stops the app with its name instead of failing a call later.
        services.AddOptions<VatsOptions>().Bind(configuration.GetSection(VatsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Elma365Options>().Bind(configuration.GetSection(Elma365Options.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddAzureStorage(StorageOptions.From(configuration));

        services.TryAddSingleton(TimeProvider.System);
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
        services.AddSingleton<PoisonAdmin>();

        // RemoveAllLoggers: HttpClient's own logs print request addresses, and an ELMA365 webhook
        // address may carry its key.
        services.AddHttpClient<Elma365Client>((provider, http) =>
                http.Timeout = Timeout.InfiniteTimeSpan) // the resilience pipeline below owns timeouts
            .RemoveAllLoggers()
            .AddResilienceHandler("elma365", (pipeline, context) =>
            {
                var elma = context.ServiceProvider.GetRequiredService<IOptions<Elma365Options>>().Value;

                // A few quick retries ride out a blip while the phone still rings; longer outages
                // are the queue's job (VatsEventProcessor re-queues with growing delays).
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(200),
                    MaxDelay = TimeSpan.FromSeconds(2),
                    UseJitter = true,
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldRetryAfterHeader = true,
                });
                pipeline.AddTimeout(elma.Timeout);
            });

        services.AddHttpClient<VatsApiClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            // A wrong address answers 301; following it would hide the mistake from the admin.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler("vats", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(20));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(300),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // Only reads: a repeated makeCall would ring the manager twice.
                    ShouldHandle = args => args.Context.Properties.GetValue(VatsApiClient.Retryable, false)
                        ? new ValueTask<bool>(HttpClientResiliencePredicates.IsTransient(args.Outcome))
                        : new ValueTask<bool>(false),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(8));
            });

        return services;
    }

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance)
        where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
        {
            services.AddSingleton(instance);
        }
    }

    private static void AddAzureStorage(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(storage);
        services.AddAzureClients(clients =>
        {
            // The PBX waits on the enqueue: fail over to a 503 (which it retries) within seconds.
            clients.ConfigureDefaults(options =>
            {
                options.Retry.MaxRetries = 3;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            });

            if (storage.ConnectionString is { } connection)
            {
                clients.AddQueueServiceClient(connection).ConfigureOptions(UseTriggerEncoding);
                clients.AddTableServiceClient(connection);
            }
            else
            {
                clients.AddQueueServiceClient(storage.QueueServiceUri!).ConfigureOptions(UseTriggerEncoding);
                clients.AddTableServiceClient(storage.TableServiceUri!);
                clients.UseCredential(Credential(storage.ClientId));
            }
        });
    }

    // The Functions queue trigger reads Base64 by default (host.json messageEncoding).
    private static void UseTriggerEncoding(QueueClientOptions options) => options.MessageEncoding = QueueMessageEncoding.Base64;

    private static TokenCredential Credential(string? clientId) =>
        clientId is null ? new DefaultAzureCredential() : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
