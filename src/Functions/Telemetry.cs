using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Megafon.Core.Diagnostics;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Megafon.Functions;

/// <summary>
/// OpenTelemetry the isolated-worker way: the worker's logs (with their CallId scope), its
/// invocation traces and the bridge's counters go to Application Insights when it is configured.
/// </summary>
internal static class Telemetry
{
    private const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    private const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddBridgeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(BridgeMetrics.MeterName))
            .WithLogging(configureBuilder: null, configureOptions: logging => logging.IncludeScopes = true);

        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;

                // The Function App's Application Insights accepts only Entra ID-authenticated
                // telemetry (local auth is off): send it as the app's managed identity.
                if (Credential(configuration[AuthenticationSetting]) is { } credential)
                {
                    options.Credential = credential;
                }
            });
        }

        return services;
    }

    // "Authorization=AAD;ClientId=<guid>", as App Service documents the setting.
    private static TokenCredential? Credential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication))
        {
            return null;
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("ClientId", out var clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
    }
}
