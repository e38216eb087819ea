using Megafon.Core.Calls;
using Megafon.Core.Reconciliation;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

public sealed class ReconcilePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan InFlightFor = TimeSpan.FromMinutes(78);
    private const string Link = "https://vats1.megapbx.ru/r/c1.mp3";

    // Ended ten minutes before Now unless told otherwise.
    private static VatsCallHistory History(string status = "Success", int duration = 60, DateTimeOffset? start = null, string? link = Link) =>
        new("c1", VatsCallDirection.In, VatsWebhookParser.ParseStatus(status), status, "79101234567", "alexey", "703", null, null, null, null,
            start ?? Now.AddMinutes(-10).AddSeconds(-duration - 5), duration, 5, link, null);

    private static ReconcileAction Decide(CallState state, VatsCallHistory? history = null, string? accepted = Link, DateTimeOffset? queuedAt = null) =>
        ReconcilePlanner.Decide(state, history ?? History(), accepted, queuedAt, Now, Grace, InFlightFor);

    /// <summary>The state after the processor delivered <paramref name="history"/>, as it leaves the row.</summary>
    private static CallState Delivered(VatsCallHistory history, string? accepted)
    {
        var decision = Assert.IsType<CallDecision.Deliver>(CallPolicy.Decide(CallState.New, history, accepted));
        return decision.NewState.WithDelivered(decision.Key);
    }

    [Fact]
    public void A_call_the_bridge_never_saw_is_delivered()
    {
        Assert.Equal(ReconcileAction.Deliver, Decide(CallState.New));
    }

    [Fact]
    public void A_call_whose_events_arrived_but_whose_history_was_lost_is_delivered()
    {
        var state = CallState.New with { Ended = true, Delivered = new HashSet<string> { "event:INCOMING:alexey", "event:COMPLETED:alexey" } };

        Assert.Equal(ReconcileAction.Deliver, Decide(state));
    }

    [Fact]
    public void A_call_that_ended_within_the_grace_is_left_to_its_webhook()
    {
        var justEnded = History(start: Now.AddSeconds(-60 - 5 - 30));

        Assert.Equal(ReconcileAction.Recent, Decide(CallState.New, justEnded));
    }

    [Fact]
    public void A_call_recorded_with_its_link_is_complete()
    {
        Assert.Equal(ReconcileAction.Complete, Decide(Delivered(History(), Link)));
    }

    [Fact]
    public void A_record_without_its_link_is_filled_once_the_export_has_one_the_policy_accepts()
    {
        var state = Delivered(History(link: null), accepted: null);
        Assert.True(state.LinkMissing);

        Assert.Equal(ReconcileAction.FillLink, Decide(state));
        Assert.Equal(ReconcileAction.Complete, Decide(state, History(link: null), accepted: null));
        Assert.Equal(ReconcileAction.Complete, Decide(state, History(link: "https://evil.example/r.mp3"), accepted: null));
    }

    [Fact]
    public void A_missed_call_recorded_without_a_link_is_complete()
    {
        var missed = History("missed", duration: 0, link: null);

        Assert.Equal(ReconcileAction.Complete, Decide(Delivered(missed, null), missed, accepted: null));
    }

    [Fact]
    public void A_history_whose_push_is_retrying_is_in_flight_until_its_claim_grows_old()
    {
        var claimed = CallState.New with { Pending = "history", PendingOwner = "m1", PendingSince = Now.AddMinutes(-20) };
        var abandoned = claimed with { PendingSince = Now - InFlightFor - TimeSpan.FromSeconds(1) };
        var otherKey = claimed with { Pending = "event:COMPLETED:alexey" };

        Assert.Equal(ReconcileAction.InFlight, Decide(claimed));
        Assert.Equal(ReconcileAction.Deliver, Decide(abandoned));
        Assert.Equal(ReconcileAction.Deliver, Decide(otherKey));
    }

    [Fact]
    public void A_history_an_earlier_run_queued_is_in_flight_until_that_grows_old()
    {
        Assert.Equal(ReconcileAction.InFlight, Decide(CallState.New, queuedAt: Now.AddMinutes(-5)));
        Assert.Equal(ReconcileAction.Deliver, Decide(CallState.New, queuedAt: Now - InFlightFor - TimeSpan.FromSeconds(1)));
    }
}
