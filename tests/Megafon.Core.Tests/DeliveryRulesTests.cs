using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;
using Microsoft.Extensions.Options;
using Polly;

namespace Megafon.Core.Tests;

/// <summary>The storage queue's whole seconds: a delay is never shortened.</summary>
public sealed class QueueDelayTests
{
    [Theory]
    [InlineData(200, 1000)]
    [InlineData(999, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 2000)]
    [InlineData(1500, 2000)]
    [InlineData(600_000, 600_000)]
    public void A_delay_is_rounded_up_to_whole_seconds(int milliseconds, int sent) =>
        Assert.Equal(TimeSpan.FromMilliseconds(sent), QueueDelay.WholeSeconds(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void No_delay_stays_none()
    {
        Assert.Null(QueueDelay.WholeSeconds(null));
        Assert.Equal(TimeSpan.Zero, QueueDelay.WholeSeconds(TimeSpan.Zero));
    }
}

/// <summary>Addresses that receive keys: https, or plain http to this machine only.</summary>
public sealed class SecureAddressTests
{
    private static List<string> Errors(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }

    [Theory]
    [InlineData("https://company.elma365.ru/api/extensions/x/webhook", true)]
    [InlineData("https://vats123456.megapbx.ru:8443/sys/crm_api.wcgp", true)]
    [InlineData("http://127.0.0.1:7302/elma365/webhook", true)]
    [InlineData("http://localhost:7302/elma365/webhook", true)]
    [InlineData("http://[::1]:7302/elma365/webhook", true)]
    [InlineData("http://company.elma365.ru/api/extensions/x/webhook", false)]
    [InlineData("http://10.0.0.5/hook", false)]
    [InlineData("https://user:secret@company.elma365.ru/hook", false)]
    [InlineData("ftp://company.elma365.ru/hook", false)]
    [InlineData("company.elma365.ru/hook", false)]
    public void Https_or_loopback_http_only(string address, bool allowed) =>
        Assert.Equal(allowed, new SecureUriAttribute().IsValid(address));

    [Fact]
    public void A_plain_http_webhook_address_is_refused_naming_the_setting()
    {
        var elma = new Elma365Options { WebhookUrl = "http://company.elma365.ru/api/extensions/x/webhook", Token = "elma-key", ModuleKey = "module-key-0123456789" };

        var error = Assert.Single(Errors(elma));

        Assert.Contains("Elma365__WebhookUrl", error, StringComparison.Ordinal);
        Assert.Contains("https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_pbx_address_is_refused_naming_the_setting()
    {
        var vats = new VatsOptions { Endpoint = "http://vats123456.megapbx.ru/sys/crm_api.wcgp", ApiKey = "pbx-key", CrmToken = "crm-token-0123456789" };

        var error = Assert.Single(Errors(vats));

        Assert.Contains("Vats__Endpoint", error, StringComparison.Ordinal);
    }
}

/// <summary>A push must end while its call is still claimed: start-up compares the two settings.</summary>
public sealed class ProcessingOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(TimeSpan callLease, TimeSpan timeout) =>
        new ProcessingOptionsValidator(Options.Create(new Elma365Options { Timeout = timeout })).Validate(null, new ProcessingOptions { CallLease = callLease });

    [Fact]
    public void The_defaults_leave_the_margin()
    {
        Assert.True(new ProcessingOptionsValidator(Options.Create(new Elma365Options())).Validate(null, new ProcessingOptions()).Succeeded);
        Assert.True(new ProcessingOptions().CallLease >= new Elma365Options().Timeout + ProcessingOptions.CallLeaseMargin);
    }

    [Theory]
    [InlineData(5, 3)] // the old test fixture: two retries of 3 s outlived a 5 s lease
    [InlineData(30, 30)]
    [InlineData(39, 30)]
    public void A_lease_no_longer_than_a_push_and_its_margin_is_refused_naming_both_settings(int leaseSeconds, int timeoutSeconds)
    {
        var result = Validate(TimeSpan.FromSeconds(leaseSeconds), TimeSpan.FromSeconds(timeoutSeconds));

        Assert.True(result.Failed);
        Assert.Contains("Processing__CallLease", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Elma365__Timeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40, 30)]
    [InlineData(20, 10)]
    public void A_lease_that_outlasts_the_push_by_the_margin_passes(int leaseSeconds, int timeoutSeconds) =>
        Assert.True(Validate(TimeSpan.FromSeconds(leaseSeconds), TimeSpan.FromSeconds(timeoutSeconds)).Succeeded);
}

/// <summary>Only pushes ELMA365 certainly did not take are tried again in-process.</summary>
public sealed class Elma365PushRetryTests
{
    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        }

        return Outcome.FromResult(response);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public void A_refusal_that_says_come_back_soon_is_retried(HttpStatusCode status)
    {
        Assert.True(Elma365PushRetry.NotTaken(Answer(status)));
        Assert.True(Elma365PushRetry.NotTaken(Answer(status, TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void A_longer_retry_after_is_left_to_the_queue() =>
        Assert.False(Elma365PushRetry.NotTaken(Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30))));

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.MovedPermanently)]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    public void An_answer_after_which_elma365_may_have_the_push_or_never_will_is_not_retried_in_process(HttpStatusCode status) =>
        Assert.False(Elma365PushRetry.NotTaken(Answer(status)));

    [Fact]
    public void A_timed_out_push_is_never_retried_in_process()
    {
        Assert.False(Elma365PushRetry.NotTaken(Outcome.FromException<HttpResponseMessage>(new TaskCanceledException("timed out"))));
        Assert.False(Elma365PushRetry.NotTaken(Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException())));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    [InlineData(HttpRequestError.SecureConnectionError, true)]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.Unknown, false)]
    public void A_connection_is_retried_only_when_the_request_never_went_out(HttpRequestError error, bool retried) =>
        Assert.Equal(retried, Elma365PushRetry.NotTaken(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "failed"))));
}

/// <summary>Who may take a call, and who waits for whom.</summary>
public sealed class CallClaimRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly ProcessingOptions Processing = new() { CallLease = TimeSpan.FromSeconds(60), ClockSkew = TimeSpan.FromSeconds(5) };
    private static readonly CallClaimRules Rules = new(Processing, pushBudget: TimeSpan.FromSeconds(30));

    private static CallState ClaimedAgo(double seconds, string owner = "m1") =>
        CallState.New.WithClaim("event:Incoming:703", owner, Now.AddSeconds(-seconds));

    [Fact]
    public void Another_instance_honours_a_claim_for_the_lease_plus_the_clock_skew()
    {
        Assert.True(Rules.IsHeldByAnother(ClaimedAgo(30), "m2", Now));
        Assert.True(Rules.IsHeldByAnother(ClaimedAgo(62), "m2", Now)); // past the lease, within the skew
        Assert.False(Rules.IsHeldByAnother(ClaimedAgo(66), "m2", Now));
    }

    [Fact]
    public void A_claim_stamped_by_a_clock_running_ahead_is_still_honoured()
    {
        // Written by an instance 5 s ahead: it looks newer than it is, which only makes others wait longer.
        Assert.True(Rules.IsHeldByAnother(ClaimedAgo(-5), "m2", Now));
    }

    [Fact]
    public void A_message_never_waits_for_its_own_claim() =>
        Assert.False(Rules.IsHeldByAnother(ClaimedAgo(1, owner: "m1"), "m1", Now));

    [Fact]
    public void A_later_stage_waits_for_an_earlier_one_that_waits_but_not_the_other_way_round()
    {
        var state = CallState.New.WithWaiting("event:Accepted:703", Now.AddSeconds(-3)).WithWaiting("event:Completed:703", Now.AddSeconds(-2));

        Assert.True(Rules.HasEarlierWaiter(state, "event:Completed:703", Now));
        Assert.True(Rules.HasEarlierWaiter(state, "history", Now));
        Assert.False(Rules.HasEarlierWaiter(state, "event:Accepted:703", Now));
        Assert.False(Rules.HasEarlierWaiter(state, "event:Incoming:704", Now));
    }

    [Fact]
    public void A_waiter_gone_for_longer_than_a_lease_no_longer_holds_anyone_up()
    {
        var state = CallState.New.WithWaiting("event:Accepted:703", Now.AddSeconds(-66));

        Assert.False(Rules.HasEarlierWaiter(state, "event:Completed:703", Now));
    }

    [Fact]
    public void A_waiter_renews_its_place_halfway_through_the_lease()
    {
        Assert.True(Rules.HoldsPlace(CallState.New.WithWaiting("history", Now.AddSeconds(-29)), "history", Now));
        Assert.False(Rules.HoldsPlace(CallState.New.WithWaiting("history", Now.AddSeconds(-31)), "history", Now));
        Assert.False(Rules.HoldsPlace(CallState.New, "history", Now));
    }

    [Fact]
    public void A_push_starts_only_if_it_ends_within_the_lease()
    {
        Assert.True(Rules.HasRoomToPush(TimeSpan.FromSeconds(1)));
        Assert.True(Rules.HasRoomToPush(TimeSpan.FromSeconds(25)));
        Assert.False(Rules.HasRoomToPush(TimeSpan.FromSeconds(26)));
    }

    [Fact]
    public void Claiming_or_dropping_takes_a_message_out_of_the_queue_and_delivering_frees_only_its_own_claim()
    {
        var waiting = CallState.New.WithWaiting("event:Accepted:703", Now).WithWaiting("history", Now);

        Assert.DoesNotContain("event:Accepted:703", waiting.WithClaim("event:Accepted:703", "m1", Now).Waiting.Keys);
        Assert.DoesNotContain("history", waiting.WithDropped("history").Waiting.Keys);
        Assert.Contains("history", waiting.WithDropped("history").Dropped);
        Assert.Null(ClaimedAgo(1, "m1").WithoutClaimOf("m1").Pending);
        Assert.NotNull(ClaimedAgo(1, "m1").WithoutClaimOf("m2").Pending);
    }
}

/// <summary>Where each message stands in its call, and when a popup is too late to show.</summary>
public sealed class CallStageAndLatenessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private static VatsCallEvent Event(VatsEventType type) =>
        new("c1", type, "79101234567", "andy", "703", null, null, null, null, type == VatsEventType.Transferred ? "c2" : null);

    private static VatsCallHistory History() =>
        new("c1", VatsCallDirection.In, VatsCallStatus.Success, "Success", "79101234567", "andy", "703", null, null, null, null, Now, 60, 5, null, null);

    [Theory]
    [InlineData(VatsEventType.Incoming, 0)]
    [InlineData(VatsEventType.Outgoing, 0)]
    [InlineData(VatsEventType.Accepted, 1)]
    [InlineData(VatsEventType.Cancelled, 2)]
    [InlineData(VatsEventType.Completed, 2)]
    [InlineData(VatsEventType.Transferred, 2)]
    public void Ring_answer_end(VatsEventType type, int stage) =>
        Assert.Equal(stage, CallPolicy.Stage(CallPolicy.DedupeKey(Event(type))));

    [Fact]
    public void The_record_comes_last() => Assert.Equal(3, CallPolicy.Stage(CallPolicy.DedupeKey(History())));

    [Theory]
    [InlineData(VatsEventType.Incoming)]
    [InlineData(VatsEventType.Outgoing)]
    [InlineData(VatsEventType.Accepted)]
    public void A_popup_older_than_its_lifetime_is_dropped_keeping_what_it_tells_about_the_call(VatsEventType type)
    {
        var decision = CallPolicy.Decide(CallState.New, Event(type), null);

        var late = Assert.IsType<CallDecision.Stale>(CallPolicy.DropIfLate(decision, Now - Lifetime - TimeSpan.FromSeconds(1), Now, Lifetime));
        var timely = CallPolicy.DropIfLate(decision, Now - Lifetime + TimeSpan.FromSeconds(1), Now, Lifetime);

        Assert.IsType<CallDecision.Deliver>(timely);
        Assert.Contains("Processing__PopupLifetime", late.Reason, StringComparison.Ordinal);
        Assert.Equal(((CallDecision.Deliver)decision).NewState, late.NewState);
        Assert.NotNull(late.NewState!.Direction ?? (object?)late.NewState.AnsweredBy);
    }

    [Theory]
    [InlineData(VatsEventType.Completed)]
    [InlineData(VatsEventType.Cancelled)]
    [InlineData(VatsEventType.Transferred)]
    public void An_end_is_never_too_late(VatsEventType type)
    {
        var decision = CallPolicy.Decide(CallState.New, Event(type), null);

        Assert.IsType<CallDecision.Deliver>(CallPolicy.DropIfLate(decision, Now.AddHours(-1), Now, Lifetime));
    }

    [Fact]
    public void A_record_is_never_too_late()
    {
        var decision = CallPolicy.Decide(CallState.New, History(), null);

        Assert.IsType<CallDecision.Deliver>(CallPolicy.DropIfLate(decision, Now.AddDays(-1), Now, Lifetime));
    }
}

/// <summary>An answer or an end waits for its call's ring, for a while: the ring opens the card and says the direction.</summary>
public sealed class RingFirstTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan RingWait = TimeSpan.FromSeconds(10);

    private static VatsCallEvent Event(VatsEventType type) =>
        new("call-1", type, "79101234567", "alexey", "703", null, null, null, null, type == VatsEventType.Transferred ? "call-2" : null);

    private static bool Awaits(CallState state, VatsCommand command, TimeSpan age) =>
        CallPolicy.AwaitsRing(state, command, Now - age, Now, RingWait);

    [Theory]
    [InlineData(VatsEventType.Accepted)]
    [InlineData(VatsEventType.Completed)]
    [InlineData(VatsEventType.Cancelled)]
    [InlineData(VatsEventType.Transferred)]
    public void Before_the_ring_an_answer_or_end_waits_until_RingWait_after_its_webhook(VatsEventType type)
    {
        Assert.True(Awaits(CallState.New, Event(type), TimeSpan.Zero));
        Assert.True(Awaits(CallState.New, Event(type), RingWait - TimeSpan.FromMilliseconds(1)));
        Assert.False(Awaits(CallState.New, Event(type), RingWait));
    }

    [Theory]
    [InlineData(VatsEventType.Incoming)]
    [InlineData(VatsEventType.Outgoing)]
    public void A_ring_never_waits(VatsEventType type) => Assert.False(Awaits(CallState.New, Event(type), TimeSpan.Zero));

    [Fact]
    public void A_record_never_waits() =>
        Assert.False(Awaits(CallState.New, new VatsCallHistory("call-1", VatsCallDirection.Out, VatsCallStatus.Success, "Success", "79101234567", "alexey", "703", null, null, null, null, Now, 30, 2, null, null), TimeSpan.Zero));

    public static TheoryData<string> RungStates => ["direction known", "ring delivered", "ring pushing", "ring dropped"];

    [Theory]
    [MemberData(nameof(RungStates))]
    public void Once_the_call_has_rung_nothing_waits(string how)
    {
        const string Ring = "event:Outgoing:703";
        var state = how switch
        {
            "direction known" => CallState.New with { Direction = VatsCallDirection.Out },
            "ring delivered" => CallState.New.WithDelivered(Ring),
            "ring pushing" => CallState.New.WithClaim(Ring, "ring-message", Now),
            _ => CallState.New.WithDropped(Ring),
        };

        Assert.False(Awaits(state, Event(VatsEventType.Accepted), TimeSpan.Zero));
    }
}
