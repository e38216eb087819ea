using System.Collections.Frozen;
using System.Globalization;

namespace Megafon.Core.Vats.Webhooks;

/// <summary>
/// Validates webhook fields into a <see cref="VatsCommand"/>. Unknown extra fields are normal
/// (the PBX adds them over time) and are ignored; required ones are checked per command.
/// </summary>
public static class VatsWebhookParser
{
    // The PBX writes `start` as 20260405T120000Z; JSON-speaking builds may send ISO 8601.
    private static readonly string[] StartFormats = ["yyyyMMdd'T'HHmmss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(WebhookFields fields, out VatsCommand? command, out WebhookError? error)
    {
        command = null;
        var cmd = fields.Optional("cmd");
        error = cmd switch
        {
            null => WebhookError.MissingField("cmd"),
            VatsCommandName.Event => ParseEvent(fields, out command),
            VatsCommandName.History => ParseHistory(fields, out command),
            VatsCommandName.Contact => ParseContact(fields, out command),
            VatsCommandName.Rating => ParseRating(fields, out command),
            _ => WebhookError.InvalidField("cmd", "must be one of event, history, contact, rating."),
        };
        return error is null;
    }

    private static WebhookError? ParseEvent(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (RequiredIdentifier(f, "callid", out var callId) is { } e1) return e1;
        if (Required(f, "type", out var rawType) is { } e2) return e2;
        if (!TryParseEventType(rawType, out var type))
        {
            return WebhookError.InvalidField("type", "must be one of INCOMING, ACCEPTED, COMPLETED, CANCELLED, OUTGOING, TRANSFERRED.");
        }

        if (OptionalDirection(f, "direction", out var direction) is { } e3) return e3;
        if (OptionalIdentifier(f, "second_callid", out var secondCallId) is { } e4) return e4;
        if (type == VatsEventType.Transferred && secondCallId is null)
        {
            return WebhookError.MissingField("second_callid");
        }

        if (People(f, out var phone, out var user, out var ext, out var telnum, out var diversion) is { } e5) return e5;
        command = new VatsCallEvent(
            callId, type, phone, user, ext, telnum, diversion, f.Optional("groupRealName"), direction, secondCallId);
        return null;
    }

    private static WebhookError? ParseHistory(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (RequiredIdentifier(f, "callid", out var callId) is { } e1) return e1;
        if (Required(f, "type", out var rawDirection) is { } e2) return e2;
        if (!TryParseDirection(rawDirection, out var direction))
        {
            return WebhookError.InvalidField("type", "must be 'in' or 'out'.");
        }

        if (Required(f, "status", out var rawStatus) is { } e3) return e3;
        if (Required(f, "start", out var rawStart) is { } e4) return e4;
        if (!DateTimeOffset.TryParseExact(rawStart, StartFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return WebhookError.InvalidField("start", "must be a UTC time such as 20260405T120000Z.");
        }

        if (Required(f, "duration", out var rawDuration) is { } e5) return e5;
        if (!TryParseSeconds(rawDuration, out var duration))
        {
            return WebhookError.InvalidField("duration", "must be a whole number of seconds.");
        }

        int? wait = null;
        if (f.Optional("wait") is { } rawWait)
        {
            if (!TryParseSeconds(rawWait, out var w))
            {
                return WebhookError.InvalidField("wait", "must be a whole number of seconds.");
            }

            wait = w;
        }

        if (People(f, out var phone, out var user, out var ext, out var telnum, out var diversion) is { } e6) return e6;
        command = new VatsCallHistory(
            callId, direction, ParseStatus(rawStatus), rawStatus, phone, user, ext,
            telnum, diversion, f.Optional("groupRealName"), f.Optional("group"),
            start, duration, wait, f.Optional("link"), f.Optional("rating"));
        return null;
    }

    private static WebhookError? ParseContact(WebhookFields f, out VatsCommand? command)
    {
        // No phone is a hidden number too: answered like any unknown caller, never refused.
        command = null;
        if (OptionalIdentifier(f, "callid", out var callId) is { } e1) return e1;
        if (ClientPhone(f, out var phone) is { } e2) return e2;
        if (OptionalPhone(f, "diversion", out var diversion) is { } e3) return e3;
        command = new VatsContactQuery(phone, callId, diversion);
        return null;
    }

    private static WebhookError? ParseRating(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (RequiredIdentifier(f, "callid", out var callId) is { } e1) return e1;
        if (Required(f, "rating", out var rating) is { } e2) return e2;
        if (People(f, out var phone, out var user, out var ext, out _, out _) is { } e3) return e3;
        command = new VatsCallRating(callId, rating, user, ext, f.Optional("phone") is null ? null : phone);
        return null;
    }

    /// <summary>The client's number, the member's login and extension, and our own numbers, each checked.</summary>
    private static WebhookError? People(WebhookFields f, out string phone, out string? user, out string? ext, out string? telnum, out string? diversion)
    {
        user = ext = telnum = diversion = null;
        return ClientPhone(f, out phone)
            ?? OptionalIdentifier(f, "user", out user)
            ?? OptionalIdentifier(f, "ext", out ext)
            ?? OptionalPhone(f, "telnum", out telnum)
            ?? OptionalPhone(f, "diversion", out diversion);
    }

    private static WebhookError? RequiredIdentifier(WebhookFields f, string name, out string value) =>
        Required(f, name, out value) ?? (WebhookValues.IsIdentifier(value) ? null : InvalidIdentifier(name));

    private static WebhookError? OptionalIdentifier(WebhookFields f, string name, out string? value)
    {
        value = f.Optional(name);
        return value is null || WebhookValues.IsIdentifier(value) ? null : InvalidIdentifier(name);
    }

    private static WebhookError InvalidIdentifier(string name) =>
        WebhookError.InvalidField(name, $"may hold 1 to {WebhookValues.MaxIdentifierLength} ASCII letters, digits and {WebhookValues.IdentifierPunctuation}, nothing else.");

    /// <summary>
    /// The client's number: digits with an optional '+'. A hidden number (none, or a word such as
    /// 'anonymous') is a real call and is taken with an empty number; anything else is refused,
    /// so nothing but digits is ever pushed to ELMA365 as a phone.
    /// </summary>
    private static WebhookError? ClientPhone(WebhookFields f, out string phone)
    {
        phone = f.Optional("phone") ?? string.Empty;
        if (phone.Length == 0 || WebhookValues.IsHiddenNumber(phone))
        {
            phone = string.Empty;
            return null;
        }

        return WebhookValues.IsPhone(phone)
            ? null
            : WebhookError.InvalidField("phone", $"must be up to {WebhookValues.MaxPhoneDigits} digits with an optional leading '+', or a hidden number's word such as 'anonymous'.");
    }

    /// <summary>Our own numbers (<c>telnum</c>, <c>diversion</c>): digits with an optional '+', when sent.</summary>
    private static WebhookError? OptionalPhone(WebhookFields f, string name, out string? phone)
    {
        phone = f.Optional(name);
        return phone is null || WebhookValues.IsPhone(phone)
            ? null
            : WebhookError.InvalidField(name, $"must be up to {WebhookValues.MaxPhoneDigits} digits with an optional leading '+'.");
    }

    private static WebhookError? Required(WebhookFields f, string name, out string value)
    {
        value = f.Optional(name) ?? string.Empty;
        return value.Length == 0 ? WebhookError.MissingField(name) : null;
    }

    private static WebhookError? OptionalDirection(WebhookFields f, string name, out VatsCallDirection? direction)
    {
        direction = null;
        if (f.Optional(name) is not { } raw)
        {
            return null;
        }

        if (!TryParseDirection(raw, out var parsed))
        {
            return WebhookError.InvalidField(name, "must be 'in' or 'out'.");
        }

        direction = parsed;
        return null;
    }

    private static bool TryParseSeconds(string raw, out int seconds) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);

    private static bool TryParseDirection(string raw, out VatsCallDirection direction)
    {
        if (raw.Equals("in", StringComparison.OrdinalIgnoreCase))
        {
            direction = VatsCallDirection.In;
            return true;
        }

        direction = VatsCallDirection.Out;
        return raw.Equals("out", StringComparison.OrdinalIgnoreCase);
    }

    // A name lookup rather than Enum.TryParse, which would also take "1" or "Busy,Success".
    private static readonly FrozenDictionary<string, VatsEventType> EventTypes = NamesOf<VatsEventType>();
    private static readonly FrozenDictionary<string, VatsCallStatus> Statuses = NamesOf<VatsCallStatus>();

    private static bool TryParseEventType(string raw, out VatsEventType type) => EventTypes.TryGetValue(raw, out type);

    /// <summary>The status, compared without regard to case; one the PBX adds later is <see cref="VatsCallStatus.Other"/>.</summary>
    public static VatsCallStatus ParseStatus(string raw) => Statuses.GetValueOrDefault(raw, VatsCallStatus.Other);

    private static FrozenDictionary<string, T> NamesOf<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), StringComparer.OrdinalIgnoreCase);
}
