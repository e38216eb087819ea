using Megafon.Core.Configuration;
using Megafon.Core.Contacts;
using Megafon.Core.Elma365.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Megafon.Core.DependencyInjection;

/// <summary>
/// The contact lookup: ELMA365's public API client, the settings that turn it on, the caches, and
/// the part of the connection test that checks them. Registered always; off until
/// Elma365__ApiUrl, Elma365__ApiToken and Elma365__ModuleCode are set.
/// </summary>
internal static class ContactLookupServiceCollectionExtensions
{
    public static IServiceCollection AddContactLookup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Elma365ApiOptions>().Bind(configuration.GetSection(Elma365ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ContactOptions>().Bind(configuration.GetSection(ContactOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // RemoveAllLoggers: HttpClient's own logs would print every request. No redirects: a wrong
        // address that redirects to a login page must read as a wrong address.
        services.AddHttpClient<Elma365ApiClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddResilienceHandler("elma365-api", pipeline =>
            {
                // Every call is a read, so a blip is retried at once; how long that may go on is
                // the caller's token (Contact__Budget for a ringing call). A 429 is not retried:
                // asking again within the ring is what it asks us not to do.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(40),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => new ValueTask<bool>(
                        !args.Context.CancellationToken.IsCancellationRequested
                        && args.Outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });

        services.AddSingleton<ContactCache>();
        services.AddSingleton<VoipBindingsCache>();
        services.AddSingleton<ContactLookup>();
        services.AddSingleton<ContactLookupCheck>();
        services.AddHostedService<ContactLookupWarmup>();
        return services;
    }
}
