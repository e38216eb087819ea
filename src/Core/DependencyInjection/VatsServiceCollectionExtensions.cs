using Megafon.Core.Configuration;
using Megafon.Core.Vats.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Megafon.Core.DependencyInjection;

/// <summary>The PBX side: its settings and the client for its CRM API.</summary>
internal static class VatsServiceCollectionExtensions
{
    public static IServiceCollection AddVats(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VatsOptions>().Bind(configuration.GetSection(VatsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // RemoveAllLoggers: HttpClient's own logs print request addresses and bodies.
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
}
