using System.ComponentModel.DataAnnotations;
using Megafon.Core.Configuration;

namespace Megafon.Core.Tests;

/// <summary>The options' own rules, as start-up validation (ValidateDataAnnotations) applies them.</summary>
public sealed class SettingsValidationTests
{
    // What App Service hands the app when it cannot resolve a Key Vault reference: the reference itself.
    private const string Unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-bridge.vault.azure.net/secrets/vats-crm-token/)";

    private static VatsOptions Vats() => new()
    {
        Endpoint = "https://vats123456.megapbx.ru/sys/crm_api.wcgp",
        ApiKey = "pbx-key",
        CrmToken = "crm-token-0123456789",
    };

    private static Elma365Options Elma365() => new() { WebhookUrl = "https://company.elma365.ru/api/extensions/x/webhook", Token = "elma-key", ModuleKey = "module-key-0123456789" };

    private static List<string> Errors(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }

    [Fact]
    public void Valid_settings_have_no_errors()
    {
        Assert.Empty(Errors(Vats()));
        Assert.Empty(Errors(Elma365()));
    }

    [Theory]
    [InlineData(nameof(VatsOptions.ApiKey), "Vats__ApiKey", Unresolved)]
    [InlineData(nameof(VatsOptions.CrmToken), "Vats__CrmToken", Unresolved)]
    [InlineData(nameof(VatsOptions.CrmToken), "Vats__CrmToken", "@Microsoft.KeyVault(VaultName=kv-bridge;SecretName=vats-crm-token)")]
    [InlineData(nameof(VatsOptions.CrmToken), "Vats__CrmToken", " @microsoft.keyvault(SecretUri=https://kv-bridge.vault.azure.net/secrets/x/)")]
    [InlineData(nameof(Elma365Options.Token), "Elma365__Token", Unresolved)]
    [InlineData(nameof(Elma365Options.ModuleKey), "Elma365__ModuleKey", Unresolved)]
    public void An_unresolved_key_vault_reference_is_refused_naming_the_setting(string property, string setting, string value)
    {
        object options = typeof(Elma365Options).GetProperty(property) is not null ? Elma365() : Vats();
        options.GetType().GetProperty(property)!.SetValue(options, value);

        var error = Assert.Single(Errors(options));

        Assert.Contains(setting, error, StringComparison.Ordinal);
        Assert.Contains("Key Vault", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024, true)]
    [InlineData(16 * 1024, true)]
    [InlineData(40 * 1024, true)]
    [InlineData(48 * 1024, false)]
    [InlineData(64 * 1024, false)]
    [InlineData(1024 * 1024, false)]
    public void The_largest_webhook_is_capped_to_what_fits_a_queue_message(int maxWebhookBytes, bool valid)
    {
        var options = Vats();
        options.MaxWebhookBytes = maxWebhookBytes;

        var errors = Errors(options);

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Contains("Vats__MaxWebhookBytes", e, StringComparison.Ordinal));
    }
}
