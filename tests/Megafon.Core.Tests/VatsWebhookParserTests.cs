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

    // Shapes the PBX really sends (DESIGN.md §1, the seed, live group calls): the alphabet must take them all.
    [Theory]
    [InlineData("callid", "B10D0EB124F4E64AF4EA-1511")]
    [InlineData("callid", "call-003")]
    [InlineData("callid", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("user", "andy")]
    [InlineData("user", "operator-a")]
    [InlineData("user", "ivan.petrov")]
    [InlineData("user", "pbx")]
    [InlineData("user", "g_6d1f2c3a-8b9e-4f0a-9c1d-2e3f4a5b6c7d@vats123456.megapbx.ru")]
    [InlineData("user", "sales_1@company.ru")]
    [InlineData("ext", "701")]
    [InlineData("second_callid", "B10D0EB124F4E64AF4EA-1512")]
    public void Real_pbx_call_ids_and_logins_are_accepted(string field, string value)
    {
        var e = Parse<VatsCallEvent>($"cmd=event&type=TRANSFERRED&{field}={Uri.EscapeDataString(value)}&callid=c1&second_callid=c2&phone=79101234567");

        var parsed = field switch
        {
            "callid" => e.CallId,
            "second_callid" => e.SecondCallId,
            "user" => e.User,
            _ => e.Ext,
        };
        Assert.Equal(value, parsed);
    }

    public static TheoryData<string, string> UnsafeIdentifiers()
    {
        var rows = new TheoryData<string, string>();
        string[] values =
        [
            new string('a', 1025), // over ~1 KB: the table write would fail five times, then poison
            "c1\0x", // NUL
            "c1\nWebhook event accepted", // a forged log line
            "c1\r",
            "c1\u0007",
            "\uFFFD\uFFFD", // invalid UTF-8, decoded
            "andy\u202Egpj.exe", // right-to-left override
            "a\u200Bb", // zero-width space
            "<script>alert(1)</script>",
            "two words",
            "\u0430ndy", // a Cyrillic 'а' that reads as Latin
        ];
        foreach (var field in new[] { "callid", "second_callid", "user", "ext" })
        {
            foreach (var value in values)
            {
                rows.Add(field, value);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(UnsafeIdentifiers))]
    public void A_field_that_becomes_a_key_or_an_identifier_is_refused_outside_a_sane_alphabet_and_length(string field, string value)
    {
        var error = ParseError($"cmd=event&type=TRANSFERRED&{field}={Uri.EscapeDataString(value)}&callid=c1&second_callid=c2&phone=79101234567");

        Assert.Equal("invalid_field", error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cmd=history&type=in&status=Success&callid=c%00&start=20260405T120000Z&duration=1", "callid")]
    [InlineData("cmd=history&type=in&status=Success&callid=c1&user=a%0Ab&start=20260405T120000Z&duration=1", "user")]
    [InlineData("cmd=rating&callid=c%FF&rating=5", "callid")]
    [InlineData("cmd=rating&callid=c1&ext=7%0D01&rating=5", "ext")]
    [InlineData("cmd=contact&phone=79101234567&callid=c%0A1", "callid")]
    public void Every_command_checks_its_keys(string body, string field)
    {
        var error = ParseError(body);

        Assert.Equal("invalid_field", error.Code);
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("79101234567", "79101234567")]
    [InlineData("%2B79990001122", "+79990001122")]
    [InlineData("+79990001122", "79990001122")] // an unencoded '+' the form reads as a blank
    [InlineData("701", "701")]
    public void Phones_are_digits_with_an_optional_plus(string raw, string expected) =>
        Assert.Equal(expected, Parse<VatsCallEvent>($"cmd=event&type=INCOMING&callid=c1&phone={raw}").Phone);

    [Theory]
    [InlineData("")]
    [InlineData("phone=")]
    [InlineData("phone=anonymous")]
    [InlineData("phone=Anonymous")]
    [InlineData("phone=unknown")]
    [InlineData("phone=private")]
    [InlineData("phone=restricted")]
    [InlineData("phone=anonymous%40anonymous.invalid")]
    [InlineData("phone=%D0%A1%D0%BA%D1%80%D1%8B%D1%82%D1%8B%D0%B9+%D0%BD%D0%BE%D0%BC%D0%B5%D1%80")]
    public void A_call_from_a_hidden_number_is_accepted_without_the_clients_number(string phone)
    {
        Assert.Equal(string.Empty, Parse<VatsCallEvent>($"cmd=event&type=INCOMING&callid=c1&user=andy&{phone}").Phone);
        Assert.Equal(string.Empty, Parse<VatsCallHistory>($"cmd=history&type=in&status=Missed&callid=c1&start=20260405T120000Z&duration=0&{phone}").Phone);
        Assert.Equal(string.Empty, Parse<VatsContactQuery>($"cmd=contact&callid=c1&{phone}").Phone);
    }

    [Theory]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("7910%001234567")]
    [InlineData("79101234567%EF%BF%BD")]
    [InlineData("%FF%FE")]
    [InlineData("%E2%80%AE79101234567")]
    [InlineData("%2B")]
    [InlineData("%2B%2B79101234567")]
    [InlineData("7910%2B1234567")]
    [InlineData("8+(916)+123-45-67")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("anonymous%0Aforged")]
    public void Anything_else_in_a_phone_is_refused_and_never_pushed(string raw)
    {
        Assert.Equal("phone", ParseError($"cmd=event&type=INCOMING&callid=c1&phone={raw}").Field);
        Assert.Equal("phone", ParseError($"cmd=history&type=in&status=Success&callid=c1&start=20260405T120000Z&duration=1&phone={raw}").Field);
        Assert.Equal("phone", ParseError($"cmd=rating&callid=c1&rating=5&phone={raw}").Field);
    }

    [Theory]
    [InlineData("telnum", "anonymous")]
    [InlineData("telnum", "%3Cb%3E")]
    [InlineData("diversion", "7495%0A0000001")]
    [InlineData("diversion", "unknown")]
    public void Our_own_numbers_are_digits_too(string field, string raw) =>
        Assert.Equal(field, ParseError($"cmd=event&type=INCOMING&callid=c1&phone=79101234567&{field}={raw}").Field);
}
