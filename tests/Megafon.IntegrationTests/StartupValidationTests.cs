using Megafon.Core.DependencyInjection;
using Megafon.DevHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.IntegrationTests;

/// <summary>
/// A missing or malformed setting stops the app at start-up with a message naming it, in the
/// DevHost and in the composition the Functions host runs (src/Functions/Program.cs calls the
/// same AddMegafonBridge on its host builder). No storage is touched: validation comes first.
/// </summary>
public sealed class StartupValidationTests
{
    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Vats:Endpoint"] = "https://vats123456.megapbx.ru/sys/crm_api.wcgp",
        ["Vats:ApiKey"] = "pbx-key",
        ["Vats:CrmToken"] = "crm-token-0123456789",
        ["Elma365:WebhookUrl"] = "https://company.elma365.ru/api/extensions/x/webhook",
        ["Elma365:Token"] = "elma-key",
        ["Elma365:ModuleKey"] = "module-key-0123456789",
    };

    // What App Service hands the app in place of a Key Vault reference it could not resolve.
    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(SecretUri=https://kv-bridge.vault.azure.net/secrets/the-secret/)";

    public static TheoryData<string, string?, string> BadSettings => new()
    {
        // setting, value (null = missing), the name the message must carry
        { "AzureWebJobsStorage", null, "AzureWebJobsStorage" },
        { "Vats:Endpoint", null, "Vats__Endpoint" },
        { "Vats:Endpoint", "vats123456.megapbx.ru", "Vats__Endpoint" },
        { "Vats:ApiKey", null, "Vats__ApiKey" },
        { "Vats:CrmToken", null, "Vats__CrmToken" },
        { "Vats:CrmToken", "short", "Vats__CrmToken" },
        { "Vats:MaxWebhookBytes", "10", "Vats__MaxWebhookBytes" },
        { "Vats:MaxWebhookBytes", "65536", "Vats__MaxWebhookBytes" },
        { "Vats:ApiKey", UnresolvedKeyVaultReference, "Vats__ApiKey" },
        { "Vats:CrmToken", UnresolvedKeyVaultReference, "Vats__CrmToken" },
        { "Elma365:Token", UnresolvedKeyVaultReference, "Elma365__Token" },
        { "Elma365:ModuleKey", UnresolvedKeyVaultReference, "Elma365__ModuleKey" },
        { "AzureWebJobsStorage", UnresolvedKeyVaultReference, "AzureWebJobsStorage" },
        { "Elma365:WebhookUrl", null, "Elma365__WebhookUrl" },
        { "Elma365:WebhookUrl", "ftp://elma365.ru/hook", "Elma365__WebhookUrl" },
        { "Elma365:Token", null, "Elma365__Token" },
        { "Elma365:ModuleKey", null, "Elma365__ModuleKey" },
        { "Elma365:ModuleKey", "short-key", "Elma365__ModuleKey" },
        { "Elma365:ModuleKey", "a key with spaces 0123", "Elma365__ModuleKey" },
        { "Elma365:AddressChangeGrace", "02:00:00", "Elma365__AddressChangeGrace" },
        { "Elma365:Timeout", "00:10:00", "Elma365__Timeout" },
        { "Processing:MaxAttempts", "0", "Processing__MaxAttempts" },
        { "Processing:EndEventDelay", "00:05:00", "Processing__EndEventDelay" },
        { "Recordings:MaxBytes", "10", "Recordings__MaxBytes" },
        { "Recordings:LinkLifetime", "8.00:00:00", "Recordings__LinkLifetime" },
        { "Recordings:RetentionDays", "0", "Recordings__RetentionDays" },
        { "Recordings:DownloadTimeout", "00:10:00", "Recordings__DownloadTimeout" },
        // The contact lookup is optional, but never half-configured.
        { "Elma365:ApiUrl", "https://mycompany.elma365.ru", "Elma365__ApiToken" },
        { "Elma365:ModuleCode", "ext_megafon", "Elma365__ApiUrl" },
        { "Contact:Budget", "00:00:30", "Contact__Budget" },
        { "Contact:Apps", "contacts", "Contact__Apps" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task The_devhost_refuses_to_start_naming_the_setting(string key, string? value, string named)
    {
        var settings = ValidSettings();
        settings[key] = value;

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var app = DevHostApplication.Create([], builder =>
            {
                builder.Configuration.Sources.Clear();
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
            });
            await app.StartAsync();
            await app.StopAsync();
        });

        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task The_functions_composition_refuses_to_start_naming_the_setting(string key, string? value, string named)
    {
        var settings = ValidSettings();
        settings[key] = value;

        var error = await Record.ExceptionAsync(async () =>
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddMegafonBridge(builder.Configuration);
            using var host = builder.Build();
            await host.StartAsync();
            await host.StopAsync();
        });

        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Identity_based_storage_needs_a_blob_endpoint_whether_or_not_recordings_are_archived(bool archive)
    {
        // The reconciliation's run lock and the host's timers keep their leases in blobs too.
        var settings = ValidSettings();
        settings["AzureWebJobsStorage"] = null;
        settings["AzureWebJobsStorage:queueServiceUri"] = "https://stbridge.queue.core.windows.net";
        settings["AzureWebJobsStorage:tableServiceUri"] = "https://stbridge.table.core.windows.net";
        settings["Recordings:Archive"] = archive ? "true" : "false";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);

        var error = Record.Exception(() => builder.Services.AddMegafonBridge(builder.Configuration));

        Assert.Contains("AzureWebJobsStorage__blobServiceUri", Assert.IsType<OptionsValidationException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_settings_pass_validation()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(ValidSettings());
        builder.Services.AddMegafonBridge(builder.Configuration);
        using var host = builder.Build();

        // What StartAsync runs first; without starting the hosted services that need storage.
        var validate = Record.Exception(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Null(validate);
        Assert.Equal("pbx-key", host.Services.GetRequiredService<IOptions<Megafon.Core.Configuration.VatsOptions>>().Value.ApiKey);
    }
}
