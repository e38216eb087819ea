using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

/// <summary>The lookup's settings as start-up validates them (ValidateDataAnnotations).</summary>
public sealed class ContactOptionsTests
{
    private static List<string> Failures<T>(T options)
        where T : class =>
        new DataAnnotationValidateOptions<T>(Options.DefaultName).Validate(Options.DefaultName, options).Failures?.ToList() ?? [];

    [Fact]
    public void The_lookup_is_off_and_valid_with_nothing_set()
    {
        var options = new Elma365ApiOptions();

        Assert.Empty(Failures(options));
        Assert.False(options.IsConfigured);
        Assert.Empty(Failures(new ContactOptions()));
    }

    [Fact]
    public void All_three_ELMA365_API_settings_together_turn_it_on()
    {
        var options = new Elma365ApiOptions { ApiUrl = "https://mycompany.elma365.ru", ApiToken = "t", ModuleCode = "ext_megafon" };

        Assert.Empty(Failures(options));
        Assert.True(options.IsConfigured);
    }

    [Theory]
    [InlineData("https://mycompany.elma365.ru", "", "", new[] { "Elma365__ApiToken", "Elma365__ModuleCode" })]
    [InlineData("https://mycompany.elma365.ru", "token", "", new[] { "Elma365__ModuleCode" })]
    [InlineData("", "token", "ext_megafon", new[] { "Elma365__ApiUrl" })]
    [InlineData("", "", "ext_megafon", new[] { "Elma365__ApiUrl", "Elma365__ApiToken" })]
    public void A_half_configured_lookup_names_each_missing_setting(string url, string token, string module, string[] missing)
    {
        var failures = Failures(new Elma365ApiOptions { ApiUrl = url, ApiToken = token, ModuleCode = module });

        Assert.Equal(missing.Length, failures.Count);
        foreach (var setting in missing)
        {
            Assert.Contains(failures, f => f.Contains(setting + " is required", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_token_never_appears_in_a_validation_message()
    {
        var failures = Failures(new Elma365ApiOptions { ApiUrl = "not a url", ApiToken = "secret-token-value", ModuleCode = "ext/../x" });

        Assert.Contains(failures, f => f.Contains("Elma365__ApiUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Elma365__ModuleCode", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("secret-token-value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://mycompany.elma365.ru", "https://mycompany.elma365.ru/")]
    [InlineData("https://mycompany.elma365.ru/", "https://mycompany.elma365.ru/")]
    [InlineData("https://mycompany.elma365.ru/pub/v1/", "https://mycompany.elma365.ru/")]
    [InlineData("https://crm.example.com/elma", "https://crm.example.com/elma/")]
    public void The_API_lives_under_the_company_address(string url, string expected) =>
        Assert.Equal(new Uri(expected), new Elma365ApiOptions { ApiUrl = url }.BaseAddress());

    [Theory]
    [InlineData(nameof(ContactOptions.Apps), "", "Contact__Apps")]
    [InlineData(nameof(ContactOptions.Apps), "_clients/_contacts,contacts", "Contact__Apps")]
    [InlineData(nameof(ContactOptions.Apps), "_clients/_contacts/x", "Contact__Apps")]
    [InlineData(nameof(ContactOptions.PhoneField), "_phone\"", "Contact__PhoneField")]
    [InlineData(nameof(ContactOptions.NameField), "", "Contact__NameField")]
    [InlineData(nameof(ContactOptions.ResponsibleField), "a b", "Contact__ResponsibleField")]
    [InlineData(nameof(ContactOptions.Budget), "00:00:10", "Contact__Budget")]
    [InlineData(nameof(ContactOptions.Budget), "00:00:00.001", "Contact__Budget")]
    [InlineData(nameof(ContactOptions.CacheTtl), "2.00:00:00", "Contact__CacheTtl")]
    [InlineData(nameof(ContactOptions.MissCacheTtl), "-00:00:01", "Contact__MissCacheTtl")]
    [InlineData(nameof(ContactOptions.BindingsCacheTtl), "00:00:00", "Contact__BindingsCacheTtl")]
    public void A_malformed_contact_setting_is_named(string property, string value, string named)
    {
        var options = new ContactOptions();
        var target = typeof(ContactOptions).GetProperty(property)!;
        target.SetValue(options, target.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value);

        Assert.Contains(Failures(options), f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Apps_are_searched_in_the_order_given_once_each()
    {
        var options = new ContactOptions { Apps = " _clients/_companies , _clients/_contacts,_clients/_companies, crm/leads " };

        Assert.Empty(Failures(options));
        Assert.Equal(["_clients/_companies", "_clients/_contacts", "crm/leads"], options.AppList().Select(a => a.ToString()));
        Assert.Equal(["_clients/_contacts", "_clients/_companies"], new ContactOptions().AppList().Select(a => a.ToString()));
        Assert.Equal(TimeSpan.FromMilliseconds(700), new ContactOptions().Budget);
    }
}
