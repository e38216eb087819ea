using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>
/// VatsWebhook over real HTTP with the queue trigger off, so each test can see exactly what was
/// queued. Tests in a class run one after another, so counting the queue is safe.
/// </summary>
public abstract class IntakeTests(IntakeOnlyFixture bridge) : IAsyncLifetime
{
    private Uri Webhook => new(bridge.BaseAddress, "api/vats/webhook");

    public Task InitializeAsync() => bridge.Events.ClearMessagesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_valid_event_is_answered_200_and_queued_without_the_token()
    {
        using var response = await bridge.Pbx.SendAsync(VatsScenarios.Event("INCOMING", "intake-1", "+79101234567", "alexey", "703"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var queued = Assert.Single((await bridge.Events.ReceiveMessagesAsync(32)).Value);
        var message = VatsEventQueues.Read(queued.Body);
        Assert.Equal("intake-1", message.Fields["callid"]);
        Assert.Equal("+79101234567", message.Fields["phone"]);
        Assert.False(message.Fields.ContainsKey("crm_token"));
        Assert.DoesNotContain(BridgeFixture.CrmToken, queued.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_design_example_bodies_are_accepted_as_the_pbx_posts_them()
    {
        string[] bodies =
        [
            "cmd=event&type=INCOMING&phone=79101234567&user=andy&callid=B10D0EB124F4E64AF4EA-1511",
            "cmd=history&type=in&status=Success&callid=call-003&phone=%2B79990001122&user=admin&diversion=74950000001&start=20260405T120000Z&duration=120&wait=15&link=https%3A%2F%2Fexample.com%2Frecord.mp3",
            "cmd=event&type=TRANSFERRED&callid=call-a&second_callid=call-b&phone=%2B79990001122&user=operator-a&direction=in",
        ];

        foreach (var body in bodies)
        {
            using var response = await PostAsync($"{body}&crm_token={BridgeFixture.CrmToken}", "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Fact]
    public async Task A_json_body_with_the_same_fields_is_accepted()
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cmd"] = "history", ["type"] = "out", ["status"] = "Busy", ["callid"] = "intake-json", ["phone"] = "79101234567",
            ["start"] = "20260405T120000Z", ["duration"] = 0, ["crm_token"] = BridgeFixture.CrmToken,
        });

        using var response = await PostAsync(body, "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Fact]
    public async Task Contact_is_answered_at_once_and_not_queued()
    {
        using var response = await bridge.Pbx.SendAsync(VatsScenarios.Contact("intake-contact", "79101234567"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    public static TheoryData<string, string, string?, HttpStatusCode, string, string?> BadRequests => new()
    {
        // body, content type, token override, status, error code, field
        { "cmd=event&type=INCOMING&callid=bad-1&phone=79101234567", "application/x-www-form-urlencoded", "wrong-token-wrong-token", HttpStatusCode.Unauthorized, "invalid_token", null },
        { "cmd=event&type=INCOMING&callid=bad-2&phone=79101234567", "application/x-www-form-urlencoded", "", HttpStatusCode.Unauthorized, "invalid_token", null },
        { "cmd=event&type=INCOMING&callid=bad-3&phone=79101234567", "text/plain", null, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", null },
        { "cmd=event&type=INCOMING&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "missing_field", "callid" },
        { "cmd=event&type=RINGING&callid=bad-5", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "type" },
        { "cmd=history&type=in&status=Success&callid=bad-6&start=20260405T120000Z&duration=abc", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "duration" },
        { "{\"cmd\":", "application/json", null, HttpStatusCode.BadRequest, "malformed_body", null },

        // A lone surrogate escape: a 400 before anything else, not an unhandled 500.
        { $"{{\"cmd\":\"event\",\"type\":\"INCOMING\",\"callid\":\"bad-7\",\"a\":\"\\ud800\",\"crm_token\":\"{BridgeFixture.CrmToken}\"}}", "application/json", null, HttpStatusCode.BadRequest, "malformed_body", null },

        // Fields that become keys and identifiers: a sane alphabet and length.
        { $"cmd=event&type=INCOMING&callid={new string('a', 2048)}&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "callid" },
        { "cmd=event&type=INCOMING&callid=bad%00nul&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "callid" },
        { "cmd=event&type=INCOMING&callid=bad-9%0Ainfo%3A+Webhook+event+accepted&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "callid" },
        { "cmd=event&type=INCOMING&callid=bad%FF%FE&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "callid" },
        { "cmd=event&type=INCOMING&callid=bad-11&user=andy%E2%80%AEexe.gpj&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "user" },
        { $"cmd=event&type=TRANSFERRED&callid=bad-12&second_callid={new string('b', 1025)}&phone=79101234567", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "second_callid" },

        // Phones are digits with an optional '+'.
        { "cmd=event&type=INCOMING&callid=bad-13&phone=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "phone" },
        { "cmd=history&type=in&status=Success&callid=bad-14&start=20260405T120000Z&duration=1&phone=7910%EF%BF%BD", "application/x-www-form-urlencoded", null, HttpStatusCode.BadRequest, "invalid_field", "phone" },

        // The crm_token is compared exactly, blanks included.
        { "cmd=event&type=INCOMING&callid=bad-15&phone=79101234567", "application/x-www-form-urlencoded", BridgeFixture.CrmToken + " ", HttpStatusCode.Unauthorized, "invalid_token", null },
        { "cmd=event&type=INCOMING&callid=bad-16&phone=79101234567", "application/x-www-form-urlencoded", BridgeFixture.CrmToken + "\n", HttpStatusCode.Unauthorized, "invalid_token", null },
        { "cmd=event&type=INCOMING&callid=bad-17&phone=79101234567", "application/x-www-form-urlencoded", " " + BridgeFixture.CrmToken, HttpStatusCode.Unauthorized, "invalid_token", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_webhook_gets_its_status_and_a_json_reason_and_is_never_queued(
        string body, string contentType, string? token, HttpStatusCode status, string code, string? field)
    {
        var withToken = contentType.StartsWith("application/json", StringComparison.Ordinal) ? body : $"{body}&crm_token={Uri.EscapeDataString(token ?? BridgeFixture.CrmToken)}";

        using var response = await PostAsync(withToken, contentType);

        Assert.Equal(status, response.StatusCode);
        var reason = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(code, reason!["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(reason["message"]!.GetValue<string>()));
        Assert.Equal(field, reason["field"]?.GetValue<string>());
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Fact]
    public async Task A_one_megabyte_body_is_413_and_never_queued()
    {
        var body = $"cmd=event&type=INCOMING&callid=big&crm_token={BridgeFixture.CrmToken}&padding={new string('x', 1024 * 1024)}";

        using var response = await PostAsync(body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Fact]
    public async Task A_one_megabyte_body_without_a_declared_length_is_413_too()
    {
        var body = Encoding.UTF8.GetBytes($"cmd=event&type=INCOMING&callid=big&crm_token={BridgeFixture.CrmToken}&padding={new string('x', 1024 * 1024)}");
        using var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await bridge.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Fact]
    public async Task Mutated_webhooks_over_http_get_only_2xx_or_4xx_and_only_accepted_ones_are_queued()
    {
        var accepted = 0;
        var statuses = new Dictionary<int, int>();
        for (var seed = 0; seed < 300; seed++)
        {
            using var response = await PostAsync(VatsWebhookMutator.Mutate(seed, BridgeFixture.CrmToken), "application/x-www-form-urlencoded");
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is 200 or 400 or 401 or 413 or 415, $"seed {seed}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status == 200 && (await response.Content.ReadAsStringAsync()).Contains("accepted", StringComparison.Ordinal))
            {
                accepted++;
            }
        }

        Assert.True(statuses.GetValueOrDefault(200) > 0 && statuses.GetValueOrDefault(400) > 0, $"the mutations should yield both: {string.Join(", ", statuses)}");
        Assert.Equal(accepted, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Theory]
    [InlineData("hidden-1", "")]
    [InlineData("hidden-2", "&phone=")]
    [InlineData("hidden-3", "&phone=anonymous")]
    [InlineData("hidden-4", "&phone=Unknown")]
    public async Task A_call_from_a_hidden_number_is_accepted_and_queued_without_the_clients_number(string callId, string phone)
    {
        using var response = await PostAsync($"cmd=event&type=INCOMING&callid={callId}&user=alexey&ext=703{phone}&crm_token={BridgeFixture.CrmToken}", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var queued = Assert.Single((await bridge.Events.ReceiveMessagesAsync(32)).Value);
        Assert.True(VatsWebhookParser.TryParse(new WebhookFields(VatsEventQueues.Read(queued.Body).Fields), out var command, out _));
        Assert.Equal(string.Empty, Assert.IsType<VatsCallEvent>(command).Phone);
    }

    [Fact]
    public async Task A_contact_query_for_a_hidden_number_is_answered_unknown()
    {
        using var response = await PostAsync($"cmd=contact&callid=hidden-contact&phone=anonymous&crm_token={BridgeFixture.CrmToken}", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Ж")]
    [InlineData("<")]
    public async Task A_sixteen_kilobyte_webhook_of_cyrillic_or_markup_is_queued_not_refused_by_the_queue(string filler)
    {
        var head = $"cmd=event&type=INCOMING&callid=big-{(int)filler[0]}&phone=79101234567&crm_token={BridgeFixture.CrmToken}&groupRealName=";
        var padding = PaddingToSixteenKilobytes(head, filler);

        using var response = await PostAsync(head + padding, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var queued = Assert.Single((await bridge.Events.ReceiveMessagesAsync(32)).Value);
        Assert.Equal(padding, VatsEventQueues.Read(queued.Body).Fields["groupRealName"]);
    }

    [Theory]
    [InlineData("\u0001")]
    [InlineData("😀")]
    public async Task A_webhook_that_cannot_fit_a_queue_message_is_413_with_a_reason_and_never_queued(string filler)
    {
        // Within the body limit, but characters JSON must escape (control characters, emoji as
        // surrogate pairs) grow three- to sixfold in an extra field nobody reads.
        var head = $"cmd=event&type=INCOMING&callid=big-escaped&phone=79101234567&crm_token={BridgeFixture.CrmToken}&note=";
        var padding = PaddingToSixteenKilobytes(head, filler);

        using var response = await PostAsync(head + padding, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var reason = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("message_too_large", reason["error"]!.GetValue<string>());
        Assert.Contains("queue", reason["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    [Theory]
    [InlineData("GET", "api/vats/webhook")]
    [InlineData("PUT", "api/vats/webhook")]
    [InlineData("POST", "api/vats/webhooks")]
    [InlineData("POST", "vats/webhook")]
    public async Task Other_methods_and_routes_are_not_found_as_on_the_functions_host(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(bridge.BaseAddress, path))
        {
            Content = new StringContent($"cmd=event&type=INCOMING&callid=elsewhere&crm_token={BridgeFixture.CrmToken}", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await bridge.Http.SendAsync(request);

        // The host answers 404, not 405, to a method its function does not take; host.json's routePrefix is "api".
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await BridgeFixture.QueuedCountAsync(bridge.Events));
    }

    /// <summary>As many <paramref name="filler"/> as make <paramref name="head"/> a 16 KiB body, the default limit.</summary>
    private static string PaddingToSixteenKilobytes(string head, string filler) =>
        string.Concat(Enumerable.Repeat(filler, (16 * 1024 - Encoding.UTF8.GetByteCount(head)) / Encoding.UTF8.GetByteCount(filler)));

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await bridge.Http.PostAsync(Webhook, content);
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

public sealed class IntakeTestsOnDevHost(IntakeOnlyFixture bridge) : IntakeTests(bridge), IClassFixture<IntakeOnlyFixture>;

public sealed class IntakeTestsOnFunctionsHost(FunctionsHostIntakeOnlyFixture bridge) : IntakeTests(bridge), IClassFixture<FunctionsHostIntakeOnlyFixture>;
