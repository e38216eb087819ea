using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>
/// ELMA365's public web API (<c>/pub/v1</c>), which the contact lookup reads. Bound to the same
/// <c>Elma365</c> section as <see cref="Elma365Options"/>; all three settings are optional, but
/// together: with none set the lookup is off and <c>contact</c> is answered <c>{}</c>.
/// </summary>
public sealed class Elma365ApiOptions : IValidatableObject
{
    public const string Section = "Elma365";

    /// <summary>The company's address, e.g. https://mycompany.elma365.ru (on-premises: its own host).</summary>
    [SecureUri(ErrorMessage = "Elma365__ApiUrl must be an absolute https address, e.g. https://mycompany.elma365.ru: the API token travels with every request (plain http only to this machine, for development).")]
    public string ApiUrl { get; set; } = string.Empty;

    /// <summary>A token from Администрирование → Токены, sent as <c>Authorization: Bearer</c>. A secret: never logged.</summary>
    [SecretSetting("Elma365__ApiToken")]
    public string ApiToken { get; set; } = string.Empty;

    /// <summary>The code of the telephony module whose «Настроить» mapping (bindings) turns users into PBX numbers.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]*$", ErrorMessage = "Elma365__ModuleCode must be a module code such as ext_megafon (letters, digits, '_', '.', '-').")]
    public string ModuleCode { get; set; } = string.Empty;

    /// <summary>True when the lookup is configured (validation makes it all three or none).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiUrl);

    /// <summary>
    /// Where <c>/pub/v1</c> lives: the address with a trailing slash. An address pasted with
    /// <c>/pub/v1</c> already on it is accepted too. A method: validation reads every property.
    /// </summary>
    public Uri BaseAddress()
    {
        var text = ApiUrl.Trim().TrimEnd('/');
        if (text.EndsWith("/pub/v1", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^"/pub/v1".Length];
        }

        return new Uri(text + "/");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string[] settings = [nameof(ApiUrl), nameof(ApiToken), nameof(ModuleCode)];
        var present = settings.Where(s => !string.IsNullOrWhiteSpace(ValueOf(s))).ToList();
        if (present.Count == 0 || present.Count == settings.Length)
        {
            yield break;
        }

        foreach (var missing in settings.Except(present))
        {
            yield return new ValidationResult(
                $"Elma365__{missing} is required when {string.Join(" and ", present.Select(p => "Elma365__" + p))} is set: the contact lookup needs Elma365__ApiUrl, Elma365__ApiToken and Elma365__ModuleCode together ({Hint(missing)}). Remove all three to turn it off.",
                [missing]);
        }
    }

    private string ValueOf(string setting) => setting switch
    {
        nameof(ApiUrl) => ApiUrl,
        nameof(ApiToken) => ApiToken,
        _ => ModuleCode,
    };

    private static string Hint(string setting) => setting switch
    {
        nameof(ApiUrl) => "the company address, e.g. https://mycompany.elma365.ru",
        nameof(ApiToken) => "a token from Администрирование → Токены",
        _ => "the telephony module's code, e.g. ext_megafon, from its address in Администрирование → Модули",
    };
}
