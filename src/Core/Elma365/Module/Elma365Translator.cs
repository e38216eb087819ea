using Megafon.Core.Calls;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Maps PBX webhooks onto ELMA365's telephony messages. ELMA365 reads <c>srcPhone</c> as the
/// caller and <c>dstPhone</c> as the callee: an inbound call is the client calling the member, an
/// outbound call the member calling the client. The member is the PBX extension, else the login:
/// the same key as GetMembers' <c>id</c>, which is how ELMA365 finds whose card and history it is.
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
        ArgumentNullException.ThrowIfNull(e);
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

        var (src, dst) = Parties(direction, client: e.Phone, member: CallPolicy.Member(e.Ext, e.User));
        return new Elma365CallEvent(e.CallId, kind, Map(direction), src, dst, disposition)
        {
            User = e.User,
            SecondCallId = e.SecondCallId,
        };
    }

    /// <summary>Translates a finished call; <paramref name="link"/> is the recording link the bridge accepted.</summary>
    public static Elma365CallRecord Translate(VatsCallHistory h, string? link)
    {
        ArgumentNullException.ThrowIfNull(h);
        var (src, dst) = Parties(h.Direction, client: h.Phone, member: CallPolicy.Member(h.Ext, h.User));
        return new(h.CallId, src, dst, Map(h.Direction), h.DurationSeconds, Map(h.Status), h.Start, link, new Elma365CallData(h.CallId, link))
        {
            User = h.User,
        };
    }

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

    // Who calls whom. srcPhoneExt / dstPhoneExt stay out: the platform defines them as an extension
    // behind the client's external number, which the PBX never reports (its ext is our member's).
    private static (string Src, string Dst) Parties(VatsCallDirection direction, string client, string member) =>
        direction == VatsCallDirection.Out ? (member, client) : (client, member);
}
