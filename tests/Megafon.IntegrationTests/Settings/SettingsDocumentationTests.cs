using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Megafon.Core.DependencyInjection;
using Megafon.DevHost;
using Megafon.Testing;

namespace Megafon.IntegrationTests.Settings;

/// <summary>
/// Every setting the code reads (<see cref="SettingsCatalog"/>, found from the code itself) is listed
/// in docs/configuration.md, and every one a local run reads is in local.settings.example.json: a
/// setting added without its documentation fails here.
/// </summary>
public sealed partial class SettingsDocumentationTests
{
    // The Functions host's own setting, which the app never reads; func start needs it.
    private const string HostRuntime = "FUNCTIONS_WORKER_RUNTIME";

    private static readonly string ConfigurationDoc = File.ReadAllText(Path.Combine(RepositoryFolder.Root, "docs", "configuration.md"));

    [Fact]
    public void The_catalog_finds_the_settings_it_must()
    {
        // Known ones of every kind, so a catalog that silently found nothing cannot pass the tests below.
        var local = SettingsCatalog.LocalRun();
        Assert.All(["AzureWebJobsStorage", "Vats__Endpoint", "Elma365__ApiToken", "Contact__Budget", "Processing__MaxAttempts", "Reconcile__Schedule", "Recordings__Archive", "APPLICATIONINSIGHTS_CONNECTION_STRING"], s => Assert.Contains(s, local));
        var azure = SettingsCatalog.InAzure();
        Assert.All(["AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__clientId", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], s => Assert.Contains(s, azure));
        Assert.Contains("DevHost__FunctionKey", SettingsCatalog.DevHostOnly());
        Assert.Contains("AzureWebJobs.ReconcileCallHistory.Disabled", SettingsCatalog.TimerSettings());
        Assert.DoesNotContain("Elma365__IsConfigured", SettingsCatalog.LocalRun());
    }

    [Fact]
    public void Every_property_of_an_options_class_is_found_by_the_catalog()
    {
        // A second reading of the code, by declaration rather than by running it: every writable
        // property of a class with a configuration Section. An options class bound somewhere the
        // catalog does not run (lazily, in a function) fails here instead of going unnoticed.
        var declared = new[] { typeof(BridgeServiceCollectionExtensions).Assembly, typeof(DevHostOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(o => o.Section is not null)
            .SelectMany(o => o.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod?.IsPublic == true)
                .Select(p => $"{o.Section}__{p.Name}"))
            .ToList();
        var found = SettingsCatalog.LocalRun().Union(SettingsCatalog.DevHostOnly()).ToHashSet();

        Assert.Contains("Vats__Endpoint", declared);
        Assert.Contains("DevHost__MessageLease", declared);
        var missed = declared.Where(s => !found.Contains(s)).Order().ToList();
        Assert.True(missed.Count == 0, $"options properties the catalog did not find (bound outside AddMegafonBridge and DevHostApplication?): {string.Join(", ", missed)}");
    }

    [Fact]
    public void Every_setting_the_code_reads_is_in_docs_configuration_md()
    {
        var missing = AllSettings().Where(s => !ConfigurationDoc.Contains($"`{s}`", StringComparison.Ordinal)).Order().ToList();

        Assert.True(missing.Count == 0, $"docs/configuration.md does not list: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_setting_docs_configuration_md_names_in_the_app_s_sections_is_read()
    {
        // The other way round, for the sections the app owns (Vats, Elma365, Contact, …): a setting
        // renamed or removed in the code must not linger in the docs. Settings of the platform
        // (AzureWebJobsStorage__credential, FUNCTIONS_WORKER_RUNTIME, …) are outside these sections.
        var read = AllSettings();
        var sections = read.Where(s => s.Contains("__", StringComparison.Ordinal) && !s.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal))
            .Select(s => s[..s.IndexOf("__", StringComparison.Ordinal)])
            .ToHashSet();
        var documented = DocumentedKey().Matches(ConfigurationDoc).Select(m => m.Groups[1].Value)
            .Where(k => sections.Contains(k[..k.IndexOf("__", StringComparison.Ordinal)]))
            .ToHashSet();

        Assert.Contains("Vats", sections);
        Assert.Contains("Contact__Budget", documented);
        var stale = documented.Where(k => !read.Contains(k)).Order().ToList();
        Assert.True(stale.Count == 0, $"docs/configuration.md lists settings nothing reads (renamed or removed?): {string.Join(", ", stale)}");
    }

    [Fact]
    public void Every_setting_a_local_run_reads_is_in_local_settings_example_json()
    {
        var example = ExampleValues();

        var missing = SettingsCatalog.LocalRun().Where(s => !example.Contains(s)).Order().ToList();

        Assert.True(missing.Count == 0, $"local.settings.example.json does not list: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_value_of_local_settings_example_json_is_a_setting_the_app_reads()
    {
        var read = SettingsCatalog.LocalRun().Union(SettingsCatalog.TimerSettings()).Append(HostRuntime).ToHashSet();

        var unknown = ExampleValues().Where(s => !read.Contains(s)).Order().ToList();

        Assert.True(unknown.Count == 0, $"local.settings.example.json lists settings nothing reads (renamed or removed?): {string.Join(", ", unknown)}");
    }

    private static HashSet<string> AllSettings() =>
        [.. SettingsCatalog.LocalRun(), .. SettingsCatalog.InAzure(), .. SettingsCatalog.DevHostOnly(), .. SettingsCatalog.TimerSettings()];

    // A key as the page writes it, in backticks: `Contact__Budget`.
    [GeneratedRegex(@"`([A-Za-z0-9]+__[A-Za-z0-9_]+)`")]
    private static partial Regex DocumentedKey();

    private static HashSet<string> ExampleValues()
    {
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFolder.Root, "local.settings.example.json")));
        return [.. example.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)];
    }
}
