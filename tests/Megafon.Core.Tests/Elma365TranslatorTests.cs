using Megafon.Core.Elma365.Module;
using Megafon.Core.Vats.Webhooks;
using static Megafon.Core.Elma365.Module.Elma365CallDisposition;
using static Megafon.Core.Elma365.Module.Elma365WebhookEvent;

namespace Megafon.Core.Tests;

public sealed class Elma365TranslatorTests
{
    public static TheoryData<VatsEventType, VatsCallDirection?, VatsCallDirection?, Elma365WebhookEvent, Elma365CallDirection, Elma365CallDisposition> EventRows => new()
    {
        // type, direction field, direction known from earlier events → event, direction, disposition
        { VatsEventType.Incoming, null, null, NotifyStart, Elma365CallDirection.In, Unknown },
        { VatsEventType.Accepted, null, null, NotifyAnswer, Elma365CallDirection.In, Answered },
        { VatsEventType.Completed, null, null, NotifyEnd, Elma365CallDirection.In, Answered },
        { VatsEventType.Cancelled, null, null, NotifyEnd, Elma365CallDirection.In, Cancel },
        { VatsEventType.Outgoing, null, null, NotifyStart, Elma365CallDirection.Out, Unknown },
        { VatsEventType.Transferred, null, null, NotifyEnd, Elma365CallDirection.In, Answered },

        // The seed's gap: the legs of an outbound call are outbound.
        { VatsEventType.Accepted, null, VatsCallDirection.Out, NotifyAnswer, Elma365CallDirection.Out, Answered },
        { VatsEventType.Completed, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Answered },
        { VatsEventType.Cancelled, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Cancel },
        { VatsEventType.Transferred, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Answered },

        // The PBX's own direction field wins over what was inferred.
        { VatsEventType.Completed, VatsCallDirection.Out, VatsCallDirection.In, NotifyEnd, Elma365CallDirection.Out, Answered },
        { VatsEventType.Accepted, VatsCallDirection.In, VatsCallDirection.Out, NotifyAnswer, Elma365CallDirection.In, Answered },

        // INCOMING and OUTGOING say their direction themselves.
        { VatsEventType.Incoming, null, VatsCallDirection.Out, NotifyStart, Elma365CallDirection.In, Unknown },
        { VatsEventType.Outgoing, null, VatsCallDirection.In, NotifyStart, Elma365CallDirection.Out, Unknown },
    };

    [Theory]
    [MemberData(nameof(EventRows))]
    public void Every_event_maps_to_its_elma365_notification(
        VatsEventType type, VatsCallDirection? directionField, VatsCallDirection? known,
        Elma365WebhookEvent expectedEvent, Elma365CallDirection expectedDirection, Elma365CallDisposition expectedDisposition)
    {
        var secondCallId = type == VatsEventType.Transferred ? "c2" : null;
        var e = new VatsCallEvent("c1", type, "79101234567", "andy", "701", null, null, null, directionField, secondCallId);

        var message = Elma365Translator.Translate(e, known);

        Assert.Equal(expectedEvent, message.Event);
        Assert.Equal(expectedDirection, message.Direction);
        Assert.Equal(expectedDisposition, message.Disposition);
        Assert.Equal("c1", message.CallId);
        Assert.Equal("79101234567", message.SrcPhone);
        Assert.Equal("701", message.DstPhone);
        Assert.Equal("andy", message.User);
        Assert.Equal(secondCallId, message.SecondCallId);
    }

    [Theory]
    [InlineData("Success", Answered)]
    [InlineData("Busy", Busy)]
    [InlineData("Missed", Cancel)]
    [InlineData("missed", Cancel)]
    [InlineData("Cancel", Cancel)]
    [InlineData("NotAvailable", NoAnswer)]
    [InlineData("NotAllowed", Unknown)]
    [InlineData("NotFound", Unknown)]
    [InlineData("WhateverComesNext", Unknown)]
    public void Every_history_status_maps_to_a_disposition(string status, Elma365CallDisposition expected) =>
        Assert.Equal(expected, Elma365Translator.Map(VatsWebhookParser.ParseStatus(status)));

    [Theory]
    [InlineData(VatsCallDirection.In, Elma365CallDirection.In)]
    [InlineData(VatsCallDirection.Out, Elma365CallDirection.Out)]
    public void History_becomes_a_call_record(VatsCallDirection direction, Elma365CallDirection expected)
    {
        var start = new DateTimeOffset(2026, 4, 5, 12, 0, 0, TimeSpan.Zero);
        var h = new VatsCallHistory("call-003", direction, VatsCallStatus.Success, "Success", "+79990001122", "admin", "702", null, null, null, null, start, 120, 15, "https://pbx/r.mp3", null);

        var record = Elma365Translator.Translate(h, "https://pbx/r.mp3");

        Assert.Equal(new Elma365CallRecord("call-003", "+79990001122", "702", expected, 120, Answered, start, "https://pbx/r.mp3", new Elma365CallData("call-003", "https://pbx/r.mp3")) { User = "admin" }, record);
    }

    [Fact]
    public void Member_is_the_extension_else_the_login()
    {
        var withoutExt = new VatsCallEvent("c1", VatsEventType.Incoming, "79101234567", "andy", null, null, null, null, null, null);
        var withNeither = withoutExt with { User = null };

        Assert.Equal("andy", Elma365Translator.Translate(withoutExt).DstPhone);
        Assert.Equal(string.Empty, Elma365Translator.Translate(withNeither).DstPhone);
    }

    [Fact]
    public void A_refused_recording_link_leaves_no_link_in_the_record()
    {
        var h = WebhookFixtures.Parse<VatsCallHistory>(WebhookFixtures.DesignHistory);

        var record = Elma365Translator.Translate(h, link: null);

        Assert.Null(record.Link);
        Assert.Null(record.Call.Link);
    }
}
