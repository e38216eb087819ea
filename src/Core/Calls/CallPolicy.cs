using Megafon.Core.Elma365.Module;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Calls;

/// <summary>
/// The rules that turn the PBX's at-least-once, out-of-order webhooks into exactly-once,
/// in-order ELMA365 messages for one call. Pure: state and webhook in, decision out.
/// </summary>
public static class CallPolicy
{
    public static CallDecision Decide(CallState state, VatsCommand command, string? acceptedLink)
    {
        ArgumentNullException.ThrowIfNull(state);
        return command switch
        {
            VatsCallEvent e => DecideEvent(state, e),
            VatsCallHistory h => DecideHistory(state, h, acceptedLink),
            VatsCallRating r => new CallDecision.Record(state with { Rating = r.Rating }),
            _ => throw new ArgumentException($"'{command.Name}' is answered at intake and never queued.", nameof(command)),
        };
    }

    /// <summary>
    /// What the processor decides for a webhook received at <paramref name="webhookReceivedAt"/>,
    /// judged <paramref name="now"/>: <see cref="Decide"/>, then <see cref="DropIfLate"/>. Poison
    /// replay asks the same question before it puts a message back.
    /// </summary>
    public static CallDecision DecideAt(CallState state, VatsCommand command, string? acceptedLink, DateTimeOffset webhookReceivedAt, DateTimeOffset now, TimeSpan popupLifetime) =>
        DropIfLate(Decide(state, command, acceptedLink), webhookReceivedAt, now, popupLifetime);

    /// <summary>
    /// Same call, same command, same type, same member: the same webhook. The member (extension,
    /// else login) is whom the message is about; legs without a login differ by extension alone.
    /// </summary>
    public static string DedupeKey(VatsCommand command) => command switch
    {
        VatsCallEvent e => $"event:{e.Type}:{Member(e.Ext, e.User)}",
        VatsCallHistory => "history",
        VatsCallRating r => $"rating:{Member(r.Ext, r.User)}",
        _ => command.Name,
    };

    public static string Member(string? ext, string? user) => ext ?? user ?? string.Empty;

    /// <summary>
    /// Where a message stands in its call: ring, answer, end (of the call or of one leg), record.
    /// Messages waiting for the same call go in this order, whatever order they were retried in.
    /// </summary>
    public static int Stage(string dedupeKey)
    {
        ArgumentNullException.ThrowIfNull(dedupeKey);
        if (dedupeKey == "history")
        {
            return 3;
        }

        var parts = dedupeKey.Split(':', 3);
        return parts.Length == 3 && parts[0] == "event" && Enum.TryParse<VatsEventType>(parts[1], out var type)
            ? type switch
            {
                VatsEventType.Incoming or VatsEventType.Outgoing => 0,
                VatsEventType.Accepted => 1,
                _ => 2,
            }
            : 4;
    }

    /// <summary>
    /// A ring or an answer that would reach ELMA365 too long after its webhook: dropped (with what
    /// it tells about the call kept) rather than pop up a card for a call that is most likely over.
    /// Ends and records are never late: closing a card and the history are always right.
    /// </summary>
    public static CallDecision DropIfLate(CallDecision decision, DateTimeOffset webhookReceivedAt, DateTimeOffset now, TimeSpan popupLifetime)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision is CallDecision.Deliver { Message: Elma365CallEvent { Event: Elma365WebhookEvent.NotifyStart or Elma365WebhookEvent.NotifyAnswer } } d
            && now - webhookReceivedAt > popupLifetime)
        {
            return new CallDecision.Stale(d.Key, $"it is a popup {(now - webhookReceivedAt).TotalSeconds:F0} s after its webhook, longer than Processing__PopupLifetime ({popupLifetime:c})")
            {
                NewState = d.NewState,
            };
        }

        return decision;
    }

    /// <summary>
    /// An answer or an end of a call that has not rung yet waits for the ring, for at most
    /// <paramref name="ringWait"/> after its own webhook: the ring says the call's direction and
    /// opens the card the answer and the end refer to. Rings and records never wait.
    /// </summary>
    public static bool AwaitsRing(CallState state, VatsCommand command, DateTimeOffset webhookReceivedAt, DateTimeOffset now, TimeSpan ringWait)
    {
        ArgumentNullException.ThrowIfNull(state);
        return command is VatsCallEvent { Type: not (VatsEventType.Incoming or VatsEventType.Outgoing) }
            && !HasRung(state)
            && now - webhookReceivedAt < ringWait;
    }

    // A ring delivered, dropped or being pushed; a ring's claim records the direction with it.
    private static bool HasRung(CallState state) =>
        state.Direction is not null
        || (state.Pending is { } pending && Stage(pending) == 0)
        || state.Delivered.Any(k => Stage(k) == 0)
        || state.Dropped.Any(k => Stage(k) == 0);

    // "pbx" and group pseudo-users (g_<uuid>@...) are no person: no ELMA365 member has their card.
    private static bool IsNobody(string member) =>
        member.Length == 0 || member == "pbx" || member.StartsWith("g_", StringComparison.Ordinal);

    private static CallDecision DecideEvent(CallState state, VatsCallEvent e)
    {
        var key = DedupeKey(e);
        if (state.Delivered.Contains(key))
        {
            return new CallDecision.Duplicate(key);
        }

        var member = Member(e.Ext, e.User);
        CallState next;
        switch (e.Type)
        {
            case VatsEventType.Incoming or VatsEventType.Outgoing:
                if (state.Ended || state.HistoryRecorded)
                {
                    return new CallDecision.Stale(key, "the call already ended");
                }

                if (state.EndedLegs.Contains(member))
                {
                    return new CallDecision.Stale(key, "this member's leg already ended");
                }

                next = state with { Direction = state.Direction ?? (e.Type == VatsEventType.Outgoing ? VatsCallDirection.Out : VatsCallDirection.In) };
                break;

            case VatsEventType.Accepted:
                if (state.Ended || state.HistoryRecorded)
                {
                    return new CallDecision.Stale(key, "the call already ended");
                }

                next = state with { AnsweredBy = member };
                break;

            case VatsEventType.Cancelled:
                // In a group call every losing leg is CANCELLED under the same callid. One naming
                // nobody (pbx, the group, no one) has no card of its own: delivered, it closes the
                // call's card, and whoever answers next (or answered already) loses theirs.
                if (IsNobody(member))
                {
                    return new CallDecision.Stale(key, "it names no member, so no card is theirs to close");
                }

                if (state.AnsweredBy is { } answeredBy && member == answeredBy)
                {
                    return new CallDecision.Stale(key, "it would close the card of the manager who answered");
                }

                next = state with { EndedLegs = new HashSet<string>(state.EndedLegs) { member } };
                break;

            case VatsEventType.Completed:
                next = state with { Ended = true };
                break;

            case VatsEventType.Transferred:
                next = state with { Ended = true, SecondCallId = e.SecondCallId };
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Unknown event type.");
        }

        return new CallDecision.Deliver(Elma365Translator.Translate(e, state.Direction) with { MessageId = Elma365Message.IdFor(e.CallId, key) }, key, next);
    }

    private static CallDecision DecideHistory(CallState state, VatsCallHistory h, string? acceptedLink)
    {
        var key = DedupeKey(h);
        if (state.Delivered.Contains(key))
        {
            // The PBX may send the history again once the recording is ready: keep the link for
            // GetCallLink, without a second record in ELMA365.
            return state.LinkMissing && acceptedLink is not null
                ? new CallDecision.Record(state with { Link = acceptedLink, LinkMissing = false })
                : new CallDecision.Duplicate(key);
        }

        var record = Elma365Translator.Translate(h, acceptedLink) with { MessageId = Elma365Message.IdFor(h.CallId, key) };
        var next = state with
        {
            Ended = true,
            HistoryRecorded = true,
            Direction = h.Direction,
            Link = acceptedLink,
            LinkMissing = acceptedLink is null && h.Status == VatsCallStatus.Success && h.DurationSeconds > 0,
            Status = h.RawStatus,
            Disposition = record.Disposition.ToString(),
            DurationSeconds = h.DurationSeconds,
            StartedAt = h.Start,
        };
        return new CallDecision.Deliver(record, key, next);
    }
}
