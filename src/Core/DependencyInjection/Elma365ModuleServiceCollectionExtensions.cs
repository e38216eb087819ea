using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        // address may carry its key. No redirects: a redirected POST arrives as a GET, which ELMA365
        // refuses, and a redirect is a wrong address to be named, not followed. The whole push,
        // retries included, is bounded by Elma365__Timeout in Elma365ModuleClient.
        services.AddHttpClient<Elma365ModuleClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddResilienceHandler("elma365", pipeline => pipeline.AddRetry(Elma365PushRetry.Options()));
        return services;
    }
}
