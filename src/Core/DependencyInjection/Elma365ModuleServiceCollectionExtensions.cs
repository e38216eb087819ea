using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Megafon.Core.DependencyInjection;

/// <summary>
/// The ELMA365 module side: its settings, where its webhook is (the address it registers), and the
/// client that pushes calls there.
/// </summary>
internal static class Elma365ModuleServiceCollectionExtensions
{
    public static IServiceCollection AddElma365Module(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Elma365Options>().Bind(configuration.GetSection(Elma365Options.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Elma365WebhookAddresses>();
        services.AddSingleton<WebhookRegistration>();

        // RemoveAllLoggers: HttpClient's own logs print request addresses, and an ELMA365 webhook
        // address may carry its key.
        services.AddHttpClient<Elma365ModuleClient>((provider, http) =>
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
        return services;
    }
}
