using System.Security.Cryptography;
using System.Text;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Where pushes go: the address the module registered (with when), or the configured
/// <c>Elma365__WebhookUrl</c> until it has registered one.
/// </summary>
public sealed record Elma365WebhookAddress(Uri Url, DateTimeOffset? RegisteredAt)
{
    public const int MaxLength = 2048;

    /// <summary>The module told the bridge this address (VoipOnWebhookUpdated); otherwise it is the setting.</summary>
    public bool IsRegistered => RegisteredAt is not null;

    /// <summary>Scheme and host only: the rest of a webhook address may carry the platform's token.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>Tells two addresses apart in logs and answers without showing them.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Url.AbsoluteUri)))[..12];

    public bool IsSameAddress(Elma365WebhookAddress other) =>
        string.Equals(Url.AbsoluteUri, other?.Url.AbsoluteUri, StringComparison.Ordinal);

    /// <summary>
    /// Checks an address the module registers: absolute https, or http to this machine's loopback
    /// for development. Anything else would send call data in the clear or nowhere.
    /// </summary>
    public static bool TryParse(string? text, out Uri? url, out string? error)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "url (the module's new webhook address) is required.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"url may be at most {MaxLength} characters.";
            return false;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            error = "url must be an absolute address, e.g. https://company.elma365.ru/....";
            return false;
        }

        if (!Configuration.SecureUriAttribute.IsAllowed(parsed))
        {
            error = "url must be an https address without credentials (plain http only to this machine, for development).";
            return false;
        }

        url = parsed;
        error = null;
        return true;
    }
}
