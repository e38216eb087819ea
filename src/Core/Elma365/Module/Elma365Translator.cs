using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Maps PBX webhooks onto ELMA365's telephony messages. ELMA365 addresses the popup by the
/// member in <c>dstPhone</c> (the PBX extension, or the login when there is none) and the
/// client by <c>srcPhone</c>, whichever way the call goes.
/// </summary>
public static class Elma365Translator
{
    /// <summary>
    /// Translates a call event. <paramref name="knownDirection"/> is what earlier events of the
    /// same call said (an OUTGOING makes its ACCEPTED and COMPLETED outbound); the event's own
    /// <c>direction</c> field wins when the PBX sends it.
    /// </summary>
    public static Elma365CallEvent Translate(VatsCallEvent e, VatsCallDirection? knownDirection = null)
    {
        var (kind, disposition) = e.Type switch
        {
            VatsEventType.Incoming => (Elma365WebhookEvent.NotifyStart, Elma365CallDisposition.Unknown),
            VatsEventType.Outgoing => (Elma365WebhookEvent.NotifyStart, Elma365CallDisposition.Unknown),
            VatsEventType.Accepted => (Elma365WebhookEvent.NotifyAnswer, Elma365CallDisposition.Answered),
            VatsEventType.Completed => (Elma365WebhookEvent.NotifyEnd, Elma365CallDisposition.Answered),
            VatsEventType.Cancelled => (Elma365WebhookEvent.NotifyEnd, Elma365CallDisposition.Cancel),
            // The manager handed the call on: their card closes; the call goes on under second_callid.
            VatsEventType.Transferred => (Elma365WebhookEvent.NotifyEnd, Elma365CallDisposition.Answered),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Unknown event type."),
        };

        var direction = e.Type switch
        {
            VatsEventType.Incoming => VatsCallDirection.In,
            VatsEventType.Outgoing => VatsCallDirection.Out,
            _ => e.Direction ?? knownDirection ?? VatsCallDirection.In,
        };

        return new Elma365CallEvent(e.CallId, kind, Map(direction), e.Phone, Member(e.Ext, e.User), disposition)
        {
            User = e.User,
            SecondCallId = e.SecondCallId,
        };
    }

    /// <summary>Translates a finished call; <paramref name="link"/> is the recording link the bridge accepted.</summary>
    public static Elma365CallRecord Translate(VatsCallHistory h, string? link) =>
        new(h.CallId, h.Phone, Member(h.Ext, h.User), Map(h.Direction), h.DurationSeconds, Map(h.Status),
            h.Start, link, new Elma365CallData(h.CallId, link))
        {
            User = h.User,
        };

    public static Elma365CallDisposition Map(VatsCallStatus status) => status switch
    {
        VatsCallStatus.Success => Elma365CallDisposition.Answered,
        VatsCallStatus.Busy => Elma365CallDisposition.Busy,
        VatsCallStatus.Missed => Elma365CallDisposition.Cancel,
        VatsCallStatus.Cancel => Elma365CallDisposition.Cancel,
        VatsCallStatus.NotAvailable => Elma365CallDisposition.NoAnswer,
        _ => Elma365CallDisposition.Unknown,
    };

    private static Elma365CallDirection Map(VatsCallDirection direction) =>
        direction == VatsCallDirection.Out ? Elma365CallDirection.Out : Elma365CallDirection.In;

    // GetMembers lists each PBX user by extension when it has one, else by login; use the same key.
    private static string Member(string? ext, string? user) => ext ?? user ?? string.Empty;
}
