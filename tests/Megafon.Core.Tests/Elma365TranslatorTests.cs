using Megafon.Core.Elma365.Module;
using Megafon.Core.Vats.Webhooks;
using static Megafon.Core.Elma365.Module.Elma365CallDisposition;
using static Megafon.Core.Elma365.Module.Elma365WebhookEvent;

namespace Megafon.Core.Tests;

public sealed class Elma365TranslatorTests
{
    private const string Client = "79101234567";
    private const string Member = "701";

    public static TheoryData<VatsEventType, VatsCallDirection?, VatsCallDirection?, Elma365WebhookEvent, Elma365CallDirection, Elma365CallDisposition, string, string> EventRows => new()
    {
        // type, direction field, direction known from earlier events → event, direction, disposition, srcPhone, dstPhone.
        // Inbound: the client calls the member. Outbound: the member calls the client.
        { VatsEventType.Incoming, null, null, NotifyStart, Elma365CallDirection.In, Unknown, Client, Member },
        { VatsEventType.Accepted, null, null, NotifyAnswer, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Completed, null, null, NotifyEnd, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Cancelled, null, null, NotifyEnd, Elma365CallDirection.In, Cancel, Client, Member },
        { VatsEventType.Transferred, null, null, NotifyEnd, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Outgoing, null, null, NotifyStart, Elma365CallDirection.Out, Unknown, Member, Client },

        // Every later event of an outbound call, its direction known from the call's state.
        { VatsEventType.Accepted, null, VatsCallDirection.Out, NotifyAnswer, Elma365CallDirection.Out, Answered, Member, Client },
        { VatsEventType.Completed, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Answered, Member, Client },
        { VatsEventType.Cancelled, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Cancel, Member, Client },
        { VatsEventType.Transferred, null, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.Out, Answered, Member, Client },

        // ... or from the event's own direction field, which wins over what was inferred.
        { VatsEventType.Accepted, VatsCallDirection.Out, null, NotifyAnswer, Elma365CallDirection.Out, Answered, Member, Client },
        { VatsEventType.Completed, VatsCallDirection.Out, VatsCallDirection.In, NotifyEnd, Elma365CallDirection.Out, Answered, Member, Client },
        { VatsEventType.Cancelled, VatsCallDirection.Out, null, NotifyEnd, Elma365CallDirection.Out, Cancel, Member, Client },
        { VatsEventType.Transferred, VatsCallDirection.Out, null, NotifyEnd, Elma365CallDirection.Out, Answered, Member, Client },
        { VatsEventType.Accepted, VatsCallDirection.In, VatsCallDirection.Out, NotifyAnswer, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Completed, VatsCallDirection.In, null, NotifyEnd, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Cancelled, VatsCallDirection.In, VatsCallDirection.Out, NotifyEnd, Elma365CallDirection.In, Cancel, Client, Member },
        { VatsEventType.Transferred, VatsCallDirection.In, null, NotifyEnd, Elma365CallDirection.In, Answered, Client, Member },
        { VatsEventType.Accepted, null, VatsCallDirection.In, NotifyAnswer, Elma365CallDirection.In, Answered, Client, Member },

        // INCOMING and OUTGOING say their direction themselves.
        { VatsEventType.Incoming, VatsCallDirection.Out, VatsCallDirection.Out, NotifyStart, Elma365CallDirection.In, Unknown, Client, Member },
        { VatsEventType.Outgoing, VatsCallDirection.In, VatsCallDirection.In, NotifyStart, Elma365CallDirection.Out, Unknown, Member, Client },
    };

    [Theory]
    [MemberData(nameof(EventRows))]
    public void Every_event_maps_to_its_elma365_notification_the_right_way_round(
        VatsEventType type, VatsCallDirection? directionField, VatsCallDirection? known,
        Elma365WebhookEvent expectedEvent, Elma365CallDirection expectedDirection, Elma365CallDisposition expectedDisposition,
        string expectedSrc, string expectedDst)
    {
        var secondCallId = type == VatsEventType.Transferred ? "c2" : null;
        var e = new VatsCallEvent("c1", type, Client, "andy", Member, null, null, null, directionField, secondCallId);

        var message = Elma365Translator.Translate(e, known);

        Assert.Equal(expectedEvent, message.Event);
        Assert.Equal(expectedDirection, message.Direction);
        Assert.Equal(expectedDisposition, message.Disposition);
        Assert.Equal(expectedSrc, message.SrcPhone);
        Assert.Equal(expectedDst, message.DstPhone);
        Assert.Equal("c1", message.CallId);
        Assert.Equal("andy", message.User);
        Assert.Equal(secondCallId, message.SecondCallId);
    }

    [Fact]
    public void The_table_covers_every_event_type_in_both_directions()
    {
        var covered = EventRows.Select(row => ((VatsEventType)row[0], (Elma365CallDirection)row[4])).ToHashSet();

        foreach (var type in Enum.GetValues<VatsEventType>())
        {
            // INCOMING is inbound and OUTGOING outbound by definition; every other type goes both ways.
            Elma365CallDirection[] directions = type switch
            {
                VatsEventType.Incoming => [Elma365CallDirection.In],
                VatsEventType.Outgoing => [Elma365CallDirection.Out],
                _ => [Elma365CallDirection.In, Elma365CallDirection.Out],
            };
            Assert.All(directions, d => Assert.Contains((type, d), covered));
        }
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
    [InlineData("in", Elma365CallDirection.In, "+79990001122", "702")]
    [InlineData("out", Elma365CallDirection.Out, "702", "+79990001122")]
    public void History_becomes_a_call_record_the_right_way_round(string type, Elma365CallDirection expected, string src, string dst)
    {
        var h = WebhookFixtures.Parse<VatsCallHistory>($"cmd=history&type={type}&status=Success&callid=call-003&phone=%2B79990001122&user=admin&ext=702&start=20260405T120000Z&duration=120&wait=15");
        var start = new DateTimeOffset(2026, 4, 5, 12, 0, 0, TimeSpan.Zero);

        var record = Elma365Translator.Translate(h, "https://pbx/r.mp3");

        Assert.Equal(new Elma365CallRecord("call-003", src, dst, expected, 120, Answered, start, "https://pbx/r.mp3", new Elma365CallData("call-003", "https://pbx/r.mp3")) { User = "admin" }, record);
    }

    [Theory]
    [InlineData(VatsEventType.Incoming)]
    [InlineData(VatsEventType.Outgoing)]
    public void Member_is_the_extension_else_the_login_whichever_side_it_is_on(VatsEventType type)
    {
        var withoutExt = new VatsCallEvent("c1", type, Client, "andy", null, null, null, null, null, null);
        var withNeither = withoutExt with { User = null };

        static string MemberOf(Elma365CallEvent m) => m.Direction == Elma365CallDirection.Out ? m.SrcPhone : m.DstPhone;

        Assert.Equal("andy", MemberOf(Elma365Translator.Translate(withoutExt)));
        Assert.Equal(string.Empty, MemberOf(Elma365Translator.Translate(withNeither)));
        Assert.Equal(Megafon.Core.Calls.CallPolicy.Member(null, "andy"), MemberOf(Elma365Translator.Translate(withoutExt)));
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
