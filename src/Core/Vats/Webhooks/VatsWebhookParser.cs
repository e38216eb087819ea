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
        if (Required(f, "callid", out var callId) is { } e1) return e1;
        if (Required(f, "type", out var rawType) is { } e2) return e2;
        if (!TryParseEventType(rawType, out var type))
        {
            return WebhookError.InvalidField("type", "must be one of INCOMING, ACCEPTED, COMPLETED, CANCELLED, OUTGOING, TRANSFERRED.");
        }

        if (OptionalDirection(f, "direction", out var direction) is { } e3) return e3;
        var secondCallId = f.Optional("second_callid");
        if (type == VatsEventType.Transferred && secondCallId is null)
        {
            return WebhookError.MissingField("second_callid");
        }

        command = new VatsCallEvent(
            callId, type, Phone(f), f.Optional("user"), f.Optional("ext"), f.Optional("telnum"),
            f.Optional("diversion"), f.Optional("groupRealName"), direction, secondCallId);
        return null;
    }

    private static WebhookError? ParseHistory(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (Required(f, "callid", out var callId) is { } e1) return e1;
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

        command = new VatsCallHistory(
            callId, direction, ParseStatus(rawStatus), rawStatus, Phone(f), f.Optional("user"), f.Optional("ext"),
            f.Optional("telnum"), f.Optional("diversion"), f.Optional("groupRealName"), f.Optional("group"),
            start, duration, wait, f.Optional("link"), f.Optional("rating"));
        return null;
    }

    private static WebhookError? ParseContact(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (Required(f, "phone", out _) is { } e1) return e1;
        command = new VatsContactQuery(Phone(f), f.Optional("callid"), f.Optional("diversion"));
        return null;
    }

    private static WebhookError? ParseRating(WebhookFields f, out VatsCommand? command)
    {
        command = null;
        if (Required(f, "callid", out var callId) is { } e1) return e1;
        if (Required(f, "rating", out var rating) is { } e2) return e2;
        command = new VatsCallRating(callId, rating, f.Optional("user"), f.Optional("ext"), f.Optional("phone") is null ? null : Phone(f));
        return null;
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

    /// <summary>The client's number as the PBX sent it, without the blanks a stray unencoded '+' leaves.</summary>
    private static string Phone(WebhookFields f) => f.Optional("phone") ?? string.Empty;

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
