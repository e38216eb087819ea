using Megafon.Core.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.DependencyInjection;

/// <summary>The admin endpoints' poison queues: vats-events-poison and recordings-poison, listed and replayed alike.</summary>
internal static class PoisonAdminServiceCollectionExtensions
{
    public static IServiceCollection AddPoisonAdmin(this IServiceCollection services)
    {
        services.AddSingleton<IPoisonSource, VatsEventsPoison>();
        services.AddSingleton<IPoisonSource, RecordingsPoison>();
        services.AddSingleton(provider => new PoisonAdmin(
            provider.GetServices<IPoisonSource>(),
            provider.GetRequiredService<Diagnostics.BridgeMetrics>(),
            provider.GetRequiredService<ILogger<PoisonAdmin>>()));
        return services;
    }
}
