using Megafon.Core.Vats.Webhooks;
using static Megafon.Core.Tests.WebhookFixtures;

namespace Megafon.Core.Tests;

public sealed class VatsWebhookParserTests
{
    [Fact]
    public void Design_example_incoming_event()
    {
        var e = Parse<VatsCallEvent>(DesignIncoming);

        Assert.Equal(new VatsCallEvent("B10D0EB124F4E64AF4EA-1511", VatsEventType.Incoming, "79101234567", "andy", null, null, null, null, null, null), e);
    }

    [Fact]
    public void Design_example_history()
    {
        var h = Parse<VatsCallHistory>(DesignHistory);

        Assert.Equal("call-003", h.CallId);
        Assert.Equal(VatsCallDirection.In, h.Direction);
        Assert.Equal(VatsCallStatus.Success, h.Status);
        Assert.Equal("+79990001122", h.Phone);
        Assert.Equal("admin", h.User);
        Assert.Equal("74950000001", h.Diversion);
        Assert.Equal(new DateTimeOffset(2026, 4, 5, 12, 0, 0, TimeSpan.Zero), h.Start);
        Assert.Equal(TimeSpan.Zero, h.Start.Offset);
        Assert.Equal(120, h.DurationSeconds);
        Assert.Equal(15, h.WaitSeconds);
        Assert.Equal("https://example.com/record.mp3", h.Link);
    }

    [Fact]
    public void Design_example_transferred()
    {
        var e = Parse<VatsCallEvent>(DesignTransferred);

        Assert.Equal(VatsEventType.Transferred, e.Type);
        Assert.Equal("call-a", e.CallId);
        Assert.Equal("call-b", e.SecondCallId);
        Assert.Equal("+79990001122", e.Phone);
        Assert.Equal("operator-a", e.User);
        Assert.Equal(VatsCallDirection.In, e.Direction);
    }

    [Theory]
    [InlineData("INCOMING", VatsEventType.Incoming)]
    [InlineData("ACCEPTED", VatsEventType.Accepted)]
    [InlineData("COMPLETED", VatsEventType.Completed)]
    [InlineData("CANCELLED", VatsEventType.Cancelled)]
    [InlineData("OUTGOING", VatsEventType.Outgoing)]
    [InlineData("accepted", VatsEventType.Accepted)]
    public void Every_event_type_parses(string raw, VatsEventType expected) =>
        Assert.Equal(expected, Parse<VatsCallEvent>($"cmd=event&type={raw}&callid=c1&phone=79101234567").Type);

    [Theory]
    [InlineData("Success", VatsCallStatus.Success)]
    [InlineData("missed", VatsCallStatus.Missed)]
    [InlineData("Missed", VatsCallStatus.Missed)]
    [InlineData("Cancel", VatsCallStatus.Cancel)]
    [InlineData("Busy", VatsCallStatus.Busy)]
    [InlineData("NotAvailable", VatsCallStatus.NotAvailable)]
    [InlineData("notavailable", VatsCallStatus.NotAvailable)]
    [InlineData("NotAllowed", VatsCallStatus.NotAllowed)]
    [InlineData("NotFound", VatsCallStatus.NotFound)]
    [InlineData("SomethingNew", VatsCallStatus.Other)]
    [InlineData("1", VatsCallStatus.Other)]
    [InlineData("Busy,Success", VatsCallStatus.Other)]
    public void History_status_is_compared_without_case_and_unknown_ones_are_kept(string raw, VatsCallStatus expected)
    {
        var h = Parse<VatsCallHistory>($"cmd=history&type=out&status={Uri.EscapeDataString(raw)}&callid=c1&start=20260405T120000Z&duration=5");

        Assert.Equal(expected, h.Status);
        Assert.Equal(raw, h.RawStatus);
        Assert.Equal(VatsCallDirection.Out, h.Direction);
    }

    [Fact]
    public void Contact_and_rating_parse()
    {
        var contact = Parse<VatsContactQuery>("cmd=contact&phone=79101234567&callid=c1&diversion=74950000001");
        var rating = Parse<VatsCallRating>("cmd=rating&callid=c1&user=andy&ext=701&phone=79101234567&rating=5");

        Assert.Equal(new VatsContactQuery("79101234567", "c1", "74950000001"), contact);
        Assert.Equal(new VatsCallRating("c1", "5", "andy", "701", "79101234567"), rating);
    }

    [Fact]
    public void Cyrillic_and_unknown_extra_fields_are_fine()
    {
        var e = Parse<VatsCallEvent>("cmd=event&type=INCOMING&callid=c1&phone=79101234567&groupRealName=%D0%9F%D0%BE%D0%B4%D0%B4%D0%B5%D1%80%D0%B6%D0%BA%D0%B0&brandNewField=x");

        Assert.Equal("Поддержка", e.GroupRealName);
    }

    [Theory]
    [InlineData("type=INCOMING&callid=c1", "missing_field", "cmd")]
    [InlineData("cmd=dance&callid=c1", "invalid_field", "cmd")]
    [InlineData("cmd=event&type=INCOMING&phone=79101234567", "missing_field", "callid")]
    [InlineData("cmd=event&type=INCOMING&callid=+++", "missing_field", "callid")]
    [InlineData("cmd=event&callid=c1", "missing_field", "type")]
    [InlineData("cmd=event&type=RINGING&callid=c1", "invalid_field", "type")]
    [InlineData("cmd=event&type=1&callid=c1", "invalid_field", "type")]
    [InlineData("cmd=event&type=INCOMING&callid=c1&direction=sideways", "invalid_field", "direction")]
    [InlineData("cmd=event&type=TRANSFERRED&callid=c1", "missing_field", "second_callid")]
    [InlineData("cmd=history&type=in&status=Success&start=20260405T120000Z&duration=1", "missing_field", "callid")]
    [InlineData("cmd=history&type=up&status=Success&callid=c1&start=20260405T120000Z&duration=1", "invalid_field", "type")]
    [InlineData("cmd=history&type=in&callid=c1&start=20260405T120000Z&duration=1", "missing_field", "status")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&duration=1", "missing_field", "start")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=yesterday&duration=1", "invalid_field", "start")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20261341T250000Z&duration=1", "invalid_field", "start")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z", "missing_field", "duration")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=abc", "invalid_field", "duration")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=-5", "invalid_field", "duration")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=1.5", "invalid_field", "duration")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=99999999999", "invalid_field", "duration")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=1&wait=soon", "invalid_field", "wait")]
    [InlineData("cmd=contact&callid=c1", "missing_field", "phone")]
    [InlineData("cmd=rating&callid=c1", "missing_field", "rating")]
    [InlineData("cmd=rating&rating=5", "missing_field", "callid")]
    public void Each_bad_webhook_gets_a_precise_error_naming_the_field(string body, string code, string field)
    {
        var error = ParseError(body);

        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_in_iso_8601_from_json_builds_is_read_as_utc()
    {
        var h = Parse<VatsCallHistory>("cmd=history&type=in&status=Success&callid=c1&start=2026-04-05T15%3A00%3A00%2B03%3A00&duration=1");

        Assert.Equal(new DateTimeOffset(2026, 4, 5, 12, 0, 0, TimeSpan.Zero), h.Start);
        Assert.Equal(TimeSpan.Zero, h.Start.Offset);
    }
}
