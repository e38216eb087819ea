using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Core.Queueing;
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
