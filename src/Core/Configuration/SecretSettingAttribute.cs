using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Megafon.Core.Configuration;

/// <summary>
/// Marks a setting that holds a secret. In Azure such settings are Key Vault references; when App
/// Service cannot resolve one (the app's identity may not read the secret, the secret or vault is
/// gone) it hands the app the reference text itself, <c>@Microsoft.KeyVault(...)</c>, which is long
/// enough to pass for any key. This refuses that text, naming the setting. Put it on every secret.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretSettingAttribute(string setting) : ValidationAttribute
{
    // App Configuration references fail the same way.
    private static readonly string[] ReferencePrefixes = ["@Microsoft.KeyVault(", "@Microsoft.AppConfiguration("];

    /// <summary>The setting's name as an admin writes it, e.g. <c>Vats__ApiKey</c>.</summary>
    public string Setting { get; } = setting;

    public override bool IsValid(object? value) => value is not string text || !IsUnresolvedReference(text);

    public override string FormatErrorMessage(string name) =>
        $"{Setting} holds a Key Vault reference the platform could not resolve, not the secret itself: let the app's identity read the secret (Key Vault Secrets User), check the vault and secret names in the reference, then restart the app.";

    /// <summary>True for the text of a platform reference, which the platform replaces with the secret when it can.</summary>
    public static bool IsUnresolvedReference(string? value)
    {
        var text = value.AsSpan().Trim();
        foreach (var prefix in ReferencePrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The settings of <paramref name="options"/> marked secret that hold an unresolved reference.</summary>
    public static IEnumerable<string> UnresolvedIn(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<SecretSettingAttribute>() is { } secret && property.GetValue(options) is string value && IsUnresolvedReference(value))
            {
                yield return secret.Setting;
            }
        }
    }
}
