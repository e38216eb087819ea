using System.Globalization;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// Turns a call of the PBX's history export into the fields of the <c>cmd=history</c> webhook the
/// PBX would have sent for it, so reconciliation goes through the webhook's own parser,
/// translation, dedupe and retries. The export says less than the webhook; what it lacks is filled
/// as follows (docs/design.md, "Reconciliation with the PBX's call history"):
/// <list type="bullet">
/// <item><c>type=missed</c> is an inbound call nobody answered: <c>type=in</c>, <c>status=missed</c>.</item>
/// <item>Otherwise talk time means answered (<c>Success</c>); an outbound call without any is
/// <c>NotAvailable</c> (ELMA365: NoAnswer), the export does not say whether it rang out or was busy.</item>
/// <item><c>account</c> is <c>login@domain</c>: the login is the webhook's <c>user</c>, and its extension,
/// from the PBX's account list, the webhook's <c>ext</c> (the member ELMA365 files the call under).</item>
/// </list>
/// </summary>
public static class HistoryExportWebhook
{
    /// <summary>Marks the fields as built from the export, for whoever reads the queue or the poison queue.</summary>
    public const string SourceField = "source";

    public const string Source = "history-export";

    /// <summary>The webhook's fields, or null when the export's <c>type</c> is not one a history webhook has.</summary>
    public static Dictionary<string, string>? Fields(VatsHistoryCall call, IReadOnlyDictionary<string, string>? extensionsByLogin)
    {
        ArgumentNullException.ThrowIfNull(call);
        var talked = call.DurationSeconds > 0;
        (string Type, string Status)? kind = call.Type switch
        {
            "missed" => ("in", "missed"),
            "in" => ("in", talked ? "Success" : "missed"),
            "out" => ("out", talked ? "Success" : "NotAvailable"),
            _ => null,
        };
        if (kind is not { } k)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["cmd"] = "history",
            ["callid"] = call.CallId,
            ["type"] = k.Type,
            ["status"] = k.Status,
            ["start"] = VatsApiClient.HistoryTime(call.Start),
            ["duration"] = call.DurationSeconds.ToString(CultureInfo.InvariantCulture),
            ["wait"] = call.WaitSeconds.ToString(CultureInfo.InvariantCulture),
            [SourceField] = Source,
        };
        Add(fields, "phone", call.Client);
        Add(fields, "diversion", call.Via);
        Add(fields, "link", call.Record);
        if (Login(call.Account) is { } user)
        {
            fields["user"] = user;
            if (extensionsByLogin is not null && extensionsByLogin.TryGetValue(user, out var ext))
            {
                fields["ext"] = ext;
            }
        }

        return fields;
    }

    /// <summary>The PBX login of an export's <c>account</c>; a group pseudo-user (<c>g_…@…</c>) stays whole, as its webhooks name it.</summary>
    public static string? Login(string? account)
    {
        if (string.IsNullOrWhiteSpace(account))
        {
            return null;
        }

        var trimmed = account.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 || trimmed.StartsWith("g_", StringComparison.Ordinal) ? trimmed : trimmed[..at];
    }

    private static void Add(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            fields[name] = value.Trim();
        }
    }
}
