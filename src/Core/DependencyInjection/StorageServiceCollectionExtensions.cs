using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Queueing;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Megafon.Core.DependencyInjection;

/// <summary>The storage account's clients, from <c>AzureWebJobsStorage</c> in either of its forms.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddBridgeStorage(this IServiceCollection services, StorageOptions storage)
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
                clients.AddQueueServiceClient(connection).WithName(UndecodedQueues.ClientName);
                clients.AddTableServiceClient(connection).ConfigureOptions(TolerateExpectedConflicts);
                clients.AddBlobServiceClient(connection);
            }
            else
            {
                clients.AddQueueServiceClient(storage.QueueServiceUri!).ConfigureOptions(UseTriggerEncoding);
                clients.AddQueueServiceClient(storage.QueueServiceUri!).WithName(UndecodedQueues.ClientName);
                clients.AddTableServiceClient(storage.TableServiceUri!).ConfigureOptions(TolerateExpectedConflicts);
                clients.AddBlobServiceClient(storage.BlobServiceUri!);
                clients.UseCredential(Credential(storage.ClientId));
            }
        });
        services.AddSingleton<UndecodedQueues>();
        return services;
    }

    // The Functions queue trigger reads Base64 by default (host.json messageEncoding).
    private static void UseTriggerEncoding(QueueClientOptions options) => options.MessageEncoding = QueueMessageEncoding.Base64;

    // The calls table's ETag conflicts are expected: not logged as warnings (ExpectedConflictsPolicy).
    private static void TolerateExpectedConflicts(TableClientOptions options) => options.AddPolicy(new ExpectedConflictsPolicy(), HttpPipelinePosition.PerCall);

    private static TokenCredential Credential(string? clientId) =>
        clientId is null ? new DefaultAzureCredential() : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
