using Megafon.Core.Calls;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

public sealed class CallPolicyTests
{
    private static VatsCallEvent Event(VatsEventType type, string user, string? ext = null) =>
        new("c1", type, "79101234567", user, ext, null, null, null, null, type == VatsEventType.Transferred ? "c2" : null);

    private static VatsCallHistory History(string status = "Success") =>
        new("c1", VatsCallDirection.In, VatsWebhookParser.ParseStatus(status), status, "79101234567", "andy", "701", null, null, null, null, DateTimeOffset.UnixEpoch, 60, 5, null, null);

    /// <summary>Applies webhooks in order as the processor would, returning what ELMA365 gets.</summary>
    private static (List<Elma365Message> Delivered, List<CallDecision> Decisions, CallState State) Play(params VatsCommand[] commands)
    {
        var state = CallState.New;
        var delivered = new List<Elma365Message>();
        var decisions = new List<CallDecision>();
        foreach (var command in commands)
        {
            var decision = CallPolicy.Decide(state, command, acceptedLink: null);
            decisions.Add(decision);
            switch (decision)
            {
                case CallDecision.Deliver d:
                    delivered.Add(d.Message);
                    state = d.NewState.WithDelivered(d.Key);
                    break;
                case CallDecision.Record r:
                    state = r.NewState;
                    break;
            }
        }

        return (delivered, decisions, state);
    }

    [Fact]
    public void A_duplicate_webhook_is_delivered_once()
    {
        var (delivered, decisions, _) = Play(Event(VatsEventType.Incoming, "andy"), Event(VatsEventType.Incoming, "andy"));

        Assert.Single(delivered);
        Assert.IsType<CallDecision.Duplicate>(decisions[1]);
    }

    [Fact]
    public void The_same_event_for_another_member_is_not_a_duplicate()
    {
        var (delivered, _, _) = Play(Event(VatsEventType.Incoming, "andy", "701"), Event(VatsEventType.Incoming, "maria", "702"));

        Assert.Equal(["701", "702"], delivered.Cast<Elma365CallEvent>().Select(e => e.DstPhone));
    }

    [Theory]
    [InlineData(VatsEventType.Completed)]
    [InlineData(VatsEventType.Transferred)]
    public void A_start_after_the_call_ended_is_dropped(VatsEventType end)
    {
        var (delivered, decisions, _) = Play(Event(end, "andy"), Event(VatsEventType.Incoming, "andy"), Event(VatsEventType.Accepted, "andy"));

        Assert.Single(delivered);
        Assert.IsType<CallDecision.Stale>(decisions[1]);
        Assert.IsType<CallDecision.Stale>(decisions[2]);
    }

    [Fact]
    public void A_start_after_the_history_is_dropped()
    {
        var (delivered, decisions, _) = Play(History(), Event(VatsEventType.Incoming, "andy"));

        Assert.IsType<Elma365CallRecord>(Assert.Single(delivered));
        Assert.IsType<CallDecision.Stale>(decisions[1]);
    }

    [Fact]
    public void A_start_after_the_same_members_leg_was_cancelled_is_dropped_but_others_still_ring()
    {
        var (delivered, decisions, _) = Play(
            Event(VatsEventType.Cancelled, "andy", "701"),
            Event(VatsEventType.Incoming, "andy", "701"),
            Event(VatsEventType.Incoming, "maria", "702"));

        Assert.IsType<CallDecision.Stale>(decisions[1]);
        Assert.Equal(["701", "702"], delivered.Cast<Elma365CallEvent>().Select(e => e.DstPhone));
    }

    [Fact]
    public void Per_leg_cancels_of_a_group_call_never_close_the_card_of_who_answered()
    {
        var (delivered, decisions, state) = Play(
            Event(VatsEventType.Incoming, "andy", "701"),
            Event(VatsEventType.Incoming, "maria", "702"),
            Event(VatsEventType.Accepted, "andy", "701"),
            Event(VatsEventType.Cancelled, "maria", "702"),
            Event(VatsEventType.Cancelled, "andy", "701"),
            Event(VatsEventType.Cancelled, "g_6d1f@sales"),
            Event(VatsEventType.Completed, "andy", "701"));

        var events = delivered.Cast<Elma365CallEvent>().Select(e => $"{e.Event}:{e.DstPhone}:{e.Disposition}").ToList();
        Assert.Equal(["NotifyStart:701:Unknown", "NotifyStart:702:Unknown", "NotifyAnswer:701:Answered", "NotifyEnd:702:Cancel", "NotifyEnd:701:Answered"], events);
        Assert.IsType<CallDecision.Stale>(decisions[4]);
        Assert.IsType<CallDecision.Stale>(decisions[5]);
        Assert.Equal("701", state.AnsweredBy);
        Assert.True(state.Ended);
    }

    public static TheoryData<string?> Nobody => new() { "pbx", "g_6d1f2c3a-8b9e-4f0a-9c1d-2e3f4a5b6c7d@vats123456.megapbx.ru", null };

    [Theory]
    [MemberData(nameof(Nobody))]
    public void A_cancel_naming_nobody_is_never_delivered_even_when_it_comes_before_the_answer(string? nobody)
    {
        var cancel = new VatsCallEvent("c1", VatsEventType.Cancelled, "79101234567", nobody, null, null, null, null, null, null);

        var (delivered, decisions, state) = Play(
            Event(VatsEventType.Incoming, "andy", "701"),
            cancel,
            Event(VatsEventType.Accepted, "andy", "701"),
            cancel);

        Assert.Equal(["NotifyStart:701", "NotifyAnswer:701"], delivered.Cast<Elma365CallEvent>().Select(e => $"{e.Event}:{e.DstPhone}"));
        Assert.IsType<CallDecision.Stale>(decisions[1]);
        Assert.IsType<CallDecision.Stale>(decisions[3]);
        Assert.Empty(state.EndedLegs);
    }

    [Fact]
    public void Legs_without_a_login_are_told_apart_by_their_extension()
    {
        var (delivered, decisions, _) = Play(
            new VatsCallEvent("c1", VatsEventType.Incoming, "79101234567", null, "701", null, null, null, null, null),
            new VatsCallEvent("c1", VatsEventType.Incoming, "79101234567", null, "702", null, null, null, null, null),
            new VatsCallEvent("c1", VatsEventType.Incoming, "79101234567", string.Empty, "702", null, null, null, null, null));

        Assert.Equal(["701", "702"], delivered.Cast<Elma365CallEvent>().Select(e => e.DstPhone));
        Assert.IsType<CallDecision.Duplicate>(decisions[2]);
    }

    [Fact]
    public void The_dedupe_key_names_the_member_the_message_is_about()
    {
        Assert.Equal("event:Incoming:701", CallPolicy.DedupeKey(Event(VatsEventType.Incoming, "andy", "701")));
        Assert.Equal("event:Incoming:andy", CallPolicy.DedupeKey(Event(VatsEventType.Incoming, "andy")));
    }

    [Fact]
    public void A_cancel_without_any_member_is_dropped_once_somebody_answered()
    {
        var nobody = new VatsCallEvent("c1", VatsEventType.Cancelled, "79101234567", null, null, null, null, null, null, null);

        var (_, decisions, _) = Play(Event(VatsEventType.Accepted, "andy", "701"), nobody);

        Assert.IsType<CallDecision.Stale>(decisions[1]);
    }

    [Fact]
    public void An_answer_that_arrives_after_the_end_is_dropped()
    {
        var (_, decisions, _) = Play(Event(VatsEventType.Completed, "andy"), Event(VatsEventType.Accepted, "andy"));

        Assert.IsType<CallDecision.Stale>(decisions[1]);
    }

    [Fact]
    public void The_direction_of_an_outgoing_call_carries_to_its_later_events()
    {
        var (delivered, _, state) = Play(Event(VatsEventType.Outgoing, "andy"), Event(VatsEventType.Accepted, "andy"), Event(VatsEventType.Completed, "andy"));

        Assert.All(delivered.Cast<Elma365CallEvent>(), e => Assert.Equal(Elma365CallDirection.Out, e.Direction));
        Assert.Equal(VatsCallDirection.Out, state.Direction);
    }

    [Fact]
    public void History_is_delivered_once_and_records_the_outcome()
    {
        var (delivered, decisions, state) = Play(History("Busy"), History("Busy"));

        Assert.Single(delivered);
        Assert.IsType<CallDecision.Duplicate>(decisions[1]);
        Assert.True(state.HistoryRecorded);
        Assert.Equal("Busy", state.Status);
        Assert.Equal(nameof(Elma365CallDisposition.Busy), state.Disposition);
        Assert.Equal(60, state.DurationSeconds);
    }

    [Fact]
    public void An_answered_call_without_a_usable_link_is_marked_for_a_late_link()
    {
        var (_, _, answered) = Play(History("Success"));
        var (_, _, missed) = Play(History("Missed") with { DurationSeconds = 0 });

        Assert.True(answered.LinkMissing);
        Assert.False(missed.LinkMissing);
    }

    [Fact]
    public void A_transfer_ends_the_first_call_and_names_the_second()
    {
        var (delivered, _, state) = Play(Event(VatsEventType.Transferred, "andy"));

        Assert.Equal("c2", Assert.IsType<Elma365CallEvent>(Assert.Single(delivered)).SecondCallId);
        Assert.Equal("c2", state.SecondCallId);
        Assert.True(state.Ended);
    }

    [Fact]
    public void A_rating_is_recorded_not_pushed()
    {
        var (delivered, decisions, state) = Play(new VatsCallRating("c1", "5", "andy", null, null));

        Assert.Empty(delivered);
        Assert.IsType<CallDecision.Record>(Assert.Single(decisions));
        Assert.Equal("5", state.Rating);
    }

    [Fact]
    public void Delivering_releases_only_its_own_claim()
    {
        var claimed = CallState.New with { Pending = "event:INCOMING:andy", PendingSince = DateTimeOffset.UnixEpoch };

        Assert.Null(claimed.WithDelivered("event:INCOMING:andy").Pending);
        Assert.Equal("event:INCOMING:andy", claimed.WithDelivered("history").Pending);
        Assert.Contains("history", claimed.WithDelivered("history").Delivered);
    }
}
