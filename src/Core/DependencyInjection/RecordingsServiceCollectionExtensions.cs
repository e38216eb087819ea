using Megafon.Core.Configuration;
using Megafon.Core.Recordings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Megafon.Core.DependencyInjection;

/// <summary>Archiving recordings: its settings, the download client, the queue handler and the link maker.</summary>
internal static class RecordingsServiceCollectionExtensions
{
    public static IServiceCollection AddRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecordingsOptions>().Bind(configuration.GetSection(RecordingsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // No automatic redirects: each hop is checked against the link policy. No logging handlers:
        // they print request addresses, and a recording link may carry a token. The timeout of a
        // whole download is the archiver's (Recordings__DownloadTimeout), not HttpClient's.
        services.AddHttpClient(RecordingArchiver.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(15),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });

        services.AddSingleton<RecordingContainer>();
        services.AddSingleton<RecordingMetrics>();
        services.AddSingleton<RecordingQueues>();
        services.AddSingleton<RecordingArchive>();
        services.AddSingleton<RecordingArchiver>();
        services.AddSingleton<RecordingLinks>();
        services.AddHostedService<RecordingStorageInitializer>();
        return services;
    }
}
