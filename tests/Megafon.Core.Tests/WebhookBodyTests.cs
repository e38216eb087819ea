using System.Text;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

public sealed class WebhookBodyTests
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded", WebhookBody.Format.Form)]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", WebhookBody.Format.Form)]
    [InlineData("Application/X-WWW-Form-UrlEncoded; Charset=UTF-8", WebhookBody.Format.Form)]
    [InlineData("application/json", WebhookBody.Format.Json)]
    [InlineData("application/json; charset=utf-8", WebhookBody.Format.Json)]
    public void Accepts_the_content_types_the_PBX_sends(string contentType, WebhookBody.Format expected) =>
        Assert.Equal(expected, WebhookBody.DetectFormat(contentType));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/x-www-form-urlencoded; charset=windows-1251")]
    [InlineData("not a media type at all")]
    public void Refuses_other_content_types(string? contentType) =>
        Assert.Null(WebhookBody.DetectFormat(contentType));

    [Fact]
    public void Form_decodes_plus_as_space_percent_escapes_and_keeps_values_containing_equals()
    {
        var fields = WebhookFixtures.Form("groupRealName=%D0%9E%D1%82%D0%B4%D0%B5%D0%BB+%D0%BF%D1%80%D0%BE%D0%B4%D0%B0%D0%B6&phone=%2B79990001122&link=https%3A%2F%2Fh%2Fr.mp3%3Fa%3D1%26b%3D2&raw=a=b=c");

        Assert.Equal("Отдел продаж", fields["groupRealName"]);
        Assert.Equal("+79990001122", fields["phone"]);
        Assert.Equal("https://h/r.mp3?a=1&b=2", fields["link"]);
        Assert.Equal("a=b=c", fields["raw"]);
    }

    [Fact]
    public void Form_takes_the_first_of_repeated_names_and_matches_names_without_case()
    {
        var fields = WebhookFixtures.Form("CallId=first&callid=second");

        Assert.Equal("first", fields["callid"]);
        Assert.Single(fields);
    }

    [Fact]
    public void Json_bodies_give_the_same_fields_with_numbers_as_text()
    {
        var json = """{"cmd":"history","duration":120,"phone":"+79990001122","groupRealName":"Отдел продаж","link":null,"ok":true}""";

        Assert.True(WebhookBody.TryRead(WebhookBody.Format.Json, Encoding.UTF8.GetBytes(json), out var fields, out _));

        Assert.Equal("120", fields["duration"]);
        Assert.Equal("+79990001122", fields["phone"]);
        Assert.Equal("Отдел продаж", fields["groupRealName"]);
        Assert.Equal("true", fields["ok"]);
        Assert.False(fields.ContainsKey("link"));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"cmd\"")]
    [InlineData("{\"cmd\":")]
    [InlineData("{\"cmd\":{\"nested\":1}}")]
    [InlineData("{\"cmd\":\"event\"} trailing")]
    [InlineData("")]
    public void Malformed_json_is_a_clear_error(string json)
    {
        Assert.False(WebhookBody.TryRead(WebhookBody.Format.Json, Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal("malformed_body", error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Secrets_are_left_out_of_what_is_queued()
    {
        var fields = WebhookFixtures.Form(WebhookFixtures.DesignIncoming);

        var stored = fields.WithoutSecrets();

        Assert.False(stored.ContainsKey("crm_token"));
        Assert.Equal("INCOMING", stored["type"]);
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"cmd\":\"event\",\"callid\":\"x\\udc00y\"}")]
    [InlineData("{\"\\ud800\":\"x\"}")]
    public void A_lone_surrogate_escape_in_json_is_a_malformed_body_not_an_exception(string json)
    {
        WebhookError? error = null;
        var thrown = Record.Exception(() => WebhookBody.TryRead(WebhookBody.Format.Json, Encoding.UTF8.GetBytes(json), out _, out error));

        Assert.Null(thrown);
        Assert.Equal("malformed_body", error!.Code);
    }

    [Fact]
    public void Sixteen_kilobytes_of_separators_cost_no_more_than_the_body_before_the_token_is_checked()
    {
        var body = Encoding.ASCII.GetBytes(new string('&', 16 * 1024));
        WebhookBody.TryRead(WebhookBody.Format.Form, body, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        WebhookBody.TryRead(WebhookBody.Format.Form, body, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Reading the body as text costs twice its size; a dictionary sized from the '&' cost ~30 times.
        Assert.True(allocated < 6 * body.Length, $"reading {body.Length} bytes of '&' allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(WebhookBody.Format.Form)]
    [InlineData(WebhookBody.Format.Json)]
    public void A_body_with_more_fields_than_any_webhook_has_is_refused(WebhookBody.Format format)
    {
        var names = Enumerable.Range(0, WebhookBody.MaxFields + 1).Select(i => $"f{i}").ToList();
        var body = format == WebhookBody.Format.Form
            ? string.Join('&', names.Select(n => $"{n}=1"))
            : "{" + string.Join(',', names.Select(n => $"\"{n}\":\"1\"")) + "}";

        Assert.False(WebhookBody.TryRead(format, Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("malformed_body", error!.Code);
        Assert.True(WebhookBody.TryRead(format, Encoding.UTF8.GetBytes(body[..body.LastIndexOf(format == WebhookBody.Format.Form ? '&' : ',')] + (format == WebhookBody.Format.Json ? "}" : string.Empty)), out var fields, out _));
        Assert.Equal(WebhookBody.MaxFields, fields.Count);
    }

    [Fact]
    public void Values_keep_their_control_characters_for_validation_to_see_and_lose_only_the_blanks_of_a_stray_plus()
    {
        var fields = WebhookFixtures.Form("callid=c1%0A&phone=+79101234567&user=%09andy");

        Assert.Equal("c1\n", fields.Optional("callid"));
        Assert.Equal("79101234567", fields.Optional("phone"));
        Assert.Equal("\tandy", fields.Optional("user"));
    }
}
