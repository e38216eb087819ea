using System.Collections.ObjectModel;

namespace Megafon.Core.Vats.Webhooks;

/// <summary>
/// The flat name → value pairs of one webhook, whatever encoding it came in. Names are matched
/// without regard to case because PBX builds differ; the first occurrence of a name wins.
/// </summary>
public sealed class WebhookFields : ReadOnlyDictionary<string, string>
{
    public const string CrmToken = "crm_token";

    public WebhookFields(IDictionary<string, string> fields)
        : base(new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase))
    {
    }

    // Takes the dictionary as it is: only for one just built with OrdinalIgnoreCase and owned by nobody else.
    private WebhookFields(Dictionary<string, string> owned, bool _)
        : base(owned)
    {
    }

    /// <summary>Wraps fields the body readers just collected (case-insensitive, first name wins) without copying them.</summary>
    internal static WebhookFields Adopt(Dictionary<string, string> fields)
    {
        System.Diagnostics.Debug.Assert(ReferenceEquals(fields.Comparer, StringComparer.OrdinalIgnoreCase), "Only case-insensitive fields may be adopted.");
        return new WebhookFields(fields, false);
    }

    /// <summary>
    /// The value without leading or trailing spaces (what an unencoded '+' becomes), or null when
    /// absent or only spaces. Other characters, line breaks and control characters included, are
    /// kept for validation to see.
    /// </summary>
    public string? Optional(string name) =>
        TryGetValue(name, out var value) && value.Trim(' ') is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>The value exactly as sent, or null: a credential is compared as it came, blanks and all.</summary>
    public string? Exact(string name) => TryGetValue(name, out var value) ? value : null;

    /// <summary>The same fields less the PBX's credential, fit to be stored or queued.</summary>
    public Dictionary<string, string> WithoutSecrets()
    {
        var copy = new Dictionary<string, string>(this, StringComparer.OrdinalIgnoreCase);
        copy.Remove(CrmToken);
        return copy;
    }
}
