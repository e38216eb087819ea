using Megafon.Core.Reconciliation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Megafon.Core.DependencyInjection;

/// <summary>Reconciliation against the PBX's call history: its settings, the timer's schedule, the run lock and the admin endpoint.</summary>
internal static class ReconciliationServiceCollectionExtensions
{
    public static IServiceCollection AddReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconcileOptions>, ReconcileOptionsValidator>();
        services.AddSingleton(provider => new TimerScheduleResolver(configuration, provider.GetRequiredService<IOptions<ReconcileOptions>>()));
        services.AddSingleton<ReconcileMetrics>();
        services.AddSingleton<ReconcileLedger>();
        services.AddSingleton<ReconcileRunLock>();
        services.AddSingleton<CallHistoryReconciler>();
        services.AddSingleton<ReconcileAdmin>();
        return services;
    }
}
