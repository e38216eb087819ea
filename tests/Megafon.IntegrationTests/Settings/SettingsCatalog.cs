using System.Reflection;
using System.Text.RegularExpressions;
using Megafon.Core.DependencyInjection;
using Megafon.DevHost;
using Megafon.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Megafon.IntegrationTests.Settings;

/// <summary>
/// Every setting the code reads, found by running the code that reads it over a configuration that
/// records each key asked for: the composition the Functions host and the DevHost share
/// (AddMegafonBridge), the worker's telemetry, the DevHost's own options, and the Functions host's
/// switch for each timer function. Nothing here lists a setting by name, so one added to the code
/// later is found without anyone telling this catalog.
/// </summary>
internal static partial class SettingsCatalog
{
    private const string Storage = "AzureWebJobsStorage";

    /// <summary>What a local run reads: storage as a connection string (Azurite), no Application Insights.</summary>
    public static IReadOnlySet<string> LocalRun() => App(new Dictionary<string, string?>
    {
        [Storage] = "UseDevelopmentStorage=true",
    });

    /// <summary>What the app reads in Azure: identity-based storage, Application Insights with Entra ID.</summary>
    public static IReadOnlySet<string> InAzure() => App(new Dictionary<string, string?>
    {
        [$"{Storage}:queueServiceUri"] = "https://st.queue.core.windows.net",
        [$"{Storage}:tableServiceUri"] = "https://st.table.core.windows.net",
        [$"{Storage}:blobServiceUri"] = "https://st.blob.core.windows.net",
        [$"{Storage}:clientId"] = "00000000-0000-0000-0000-000000000000",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Authorization=AAD;ClientId=00000000-0000-0000-0000-000000000000",
    });

    /// <summary>What the DevHost reads besides the app's settings: its own options.</summary>
    public static IReadOnlySet<string> DevHostOnly()
    {
        var recorder = new RecordingConfiguration(new Dictionary<string, string?>
        {
            [Storage] = "UseDevelopmentStorage=true",
            ["DevHost:HostJsonPath"] = Path.Combine(Megafon.Testing.RepositoryFolder.Root, "host.json"),
        });
        IServiceCollection? services = null;
        var app = DevHostApplication.Create([], builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(recorder);
            services = builder.Services;
        });
        ((IDisposable)app).Dispose();
        return Settings(Bound(services!, recorder, typeof(DevHostOptions).Assembly));
    }

    /// <summary>The Functions host's own switch of each timer function, and the settings its schedule names (%Setting%).</summary>
    public static IReadOnlySet<string> TimerSettings()
    {
        var timers = typeof(Megafon.Functions.Http.VatsWebhook).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Timer: m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Timer is not null)
            .ToList();
        return Settings(
        [
            .. timers.Select(t => $"AzureWebJobs.{t.Function!.Name}.Disabled"),
            .. timers.SelectMany(t => Placeholder().Matches(t.Timer!.Schedule).Select(m => m.Groups[1].Value)),
        ]);
    }

    private static HashSet<string> App(IReadOnlyDictionary<string, string?> world)
    {
        var recorder = new RecordingConfiguration(world);
        var configuration = new ConfigurationBuilder().Add(recorder).Build();
        var services = new ServiceCollection();
        services.AddMegafonBridge(configuration);
        services.AddBridgeTelemetry(configuration);
        List<string> read = [.. recorder.Take()];
        read.AddRange(Bound(services, recorder, typeof(BridgeServiceCollectionExtensions).Assembly, typeof(Telemetry).Assembly));
        return Settings(read);
    }

    // Options of these assemblies bound to configuration (OptionsBuilder.Bind) are bound once more
    // onto a fresh instance: the keys read for their writable properties are settings. Options set up
    // by code of these assemblies (services.Configure(o => …configuration[…]…), as the worker's
    // telemetry does) are set up once more: every key that code reads is a setting.
    private static List<string> Bound(IServiceCollection services, RecordingConfiguration recorder, params Assembly[] ours)
    {
        var keys = new List<string>();
        foreach (var descriptor in services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)))
        {
            var options = descriptor.ServiceType.GetGenericArguments()[0];
            var implementation = descriptor.ImplementationInstance?.GetType();
            var binds = implementation is { IsGenericType: true } && implementation.GetGenericTypeDefinition() == typeof(NamedConfigureFromConfigurationOptions<>) && ours.Contains(options.Assembly);
            var codeOfOurs = implementation?.GetProperty(nameof(ConfigureNamedOptions<object>.Action))?.GetValue(descriptor.ImplementationInstance) is Delegate action
                && ours.Contains(action.Method.DeclaringType!.Assembly);
            if (!binds && !codeOfOurs)
            {
                continue;
            }

            recorder.Take();
            descriptor.ServiceType.GetMethod(nameof(IConfigureOptions<object>.Configure))!.Invoke(descriptor.ImplementationInstance, [Activator.CreateInstance(options)]);
            keys.AddRange(recorder.Take().Where(k => !binds || options.GetProperty(k[(k.LastIndexOf(':') + 1)..])?.SetMethod?.IsPublic == true));
        }

        return keys;
    }

    // As an admin writes them: Vats__Endpoint, not Vats:Endpoint.
    private static HashSet<string> Settings(IEnumerable<string> keys) =>
        [.. keys.Select(k => k.Replace(":", "__", StringComparison.Ordinal))];

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Placeholder();
}
