using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>
/// A bridge of its own (tests here restart it and move its pushes around), with a short grace for
/// address refusals and enough retries to outlast it. Many: the queue takes a message's delay in
/// whole seconds, so the base fixture's sub-second retry delays come back at once, and a refused
/// push can run through a dozen attempts well inside the grace.
/// </summary>
public class WebhookAddressFixture : BridgeFixture
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Elma365:AddressChangeGrace", Grace.ToString()),
        new("Processing:MaxAttempts", "60"),
    ];
}

public sealed class FunctionsHostWebhookAddressFixture : WebhookAddressFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>
/// The module registers its webhook address (VoipOnWebhookUpdated → PUT /api/elma365/webhook) and
/// the bridge follows: over HTTP, the settings table and two ELMA365 simulators, on both hosts.
/// Every test states where pushes go first, since the address is stored for the whole bridge.
/// </summary>
public abstract class Elma365WebhookAddressTests(WebhookAddressFixture bridge) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private Elma365Simulator _next = null!;

    private TableClient Settings => new(bridge.Azurite.ConnectionString, "settings");

    public async Task InitializeAsync() =>
        _next = await Elma365Simulator.StartAsync(BridgeFixture.Elma365Token, bridgeKey: BridgeFixture.ModuleKey);

    public async Task DisposeAsync()
    {
        bridge.Elma365.ForcedStatus = null;
        await _next.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> RegisterAsync(string body, string? key = BridgeFixture.ModuleKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(bridge.BaseAddress, "api/elma365/webhook"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> RegisterAsync(Elma365Simulator elma)
    {
        var (status, body) = await RegisterAsync(new JsonObject { ["url"] = elma.WebhookUrl.ToString() }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"{status} {body}");
        return body!;
    }

    private async Task<string?> StoredUrlAsync()
    {
        try
        {
            var row = await Settings.GetEntityIfExistsAsync<TableEntity>("elma365", "webhook");
            return row.HasValue ? row.Value!.GetString("Url") : null;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private Task RingAsync(string callId) =>
        bridge.SendAllAsync([VatsScenarios.Event("INCOMING", callId, "79101234567", "alexey", "703")]);

    private static Task<IReadOnlyList<JsonObject>> ArrivesAtAsync(Elma365Simulator elma, string callId) =>
        elma.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == callId), Patience);

    private static bool Has(Elma365Simulator elma, string callId) =>
        elma.Received.Any(m => m["callId"]!.GetValue<string>() == callId);

    [Fact]
    public async Task Registering_a_new_address_moves_later_pushes_there_and_the_move_survives_a_restart()
    {
        await RegisterAsync(bridge.Elma365);
        await RingAsync("w-before");
        await ArrivesAtAsync(bridge.Elma365, "w-before");

        var registered = await RegisterAsync(_next);
        await RingAsync("w-after");
        await ArrivesAtAsync(_next, "w-after");

        Assert.Equal("registered", registered["status"]!.GetValue<string>());
        Assert.Equal(_next.WebhookUrl.GetLeftPart(UriPartial.Authority), registered["origin"]!.GetValue<string>());
        Assert.Equal(_next.WebhookUrl.AbsoluteUri, await StoredUrlAsync());
        Assert.False(Has(bridge.Elma365, "w-after"));
        Assert.False(Has(_next, "w-before"));

        // The connection test says which address is in use and since when.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/connection-test")))
        {
            request.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
            using var response = await bridge.Http.SendAsync(request);
            var check = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var webhook = check["elma365Webhook"]!;
            Assert.True(check["success"]!.GetValue<bool>(), check.ToJsonString());
            Assert.Equal("module", webhook["source"]!.GetValue<string>());
            Assert.Equal(registered["origin"]!.GetValue<string>(), webhook["origin"]!.GetValue<string>());
            Assert.Equal(registered["fingerprint"]!.GetValue<string>(), webhook["fingerprint"]!.GetValue<string>());
            Assert.Equal(registered["registeredAt"]!.GetValue<DateTimeOffset>(), webhook["registeredAt"]!.GetValue<DateTimeOffset>());
        }

        await bridge.StopHostAsync();
        await bridge.StartHostAsync();
        await RingAsync("w-restarted");
        await ArrivesAtAsync(_next, "w-restarted");

        Assert.False(Has(bridge.Elma365, "w-restarted"));
    }

    [Fact]
    public async Task An_address_registered_on_another_instance_reaches_this_one_within_seconds()
    {
        await RegisterAsync(bridge.Elma365);

        // What another instance's registration leaves behind: the row, nothing in this one's memory.
        await Settings.UpsertEntityAsync(new TableEntity("elma365", "webhook")
        {
            ["Url"] = _next.WebhookUrl.AbsoluteUri,
            ["RegisteredAt"] = DateTimeOffset.UtcNow,
        });
        await Task.Delay(TimeSpan.FromSeconds(6)); // the cache holds an address for 5 s
        await RingAsync("w-elsewhere");

        await ArrivesAtAsync(_next, "w-elsewhere");
        Assert.False(Has(bridge.Elma365, "w-elsewhere"));
    }

    [Fact]
    public async Task A_push_refused_while_the_address_changes_waits_and_arrives_at_the_new_address()
    {
        await RegisterAsync(bridge.Elma365);
        var refusedBefore = bridge.Elma365.RefusedCount;

        // The platform refreshed its token: the old address now refuses, and the module has not
        // registered the new one yet.
        bridge.Elma365.ForcedStatus = 401;
        await RingAsync("w-switch");
        var deadline = DateTime.UtcNow + Patience;
        while (bridge.Elma365.RefusedCount == refusedBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(bridge.Elma365.RefusedCount > refusedBefore, "the old address never refused the push");
        await RegisterAsync(_next);
        await ArrivesAtAsync(_next, "w-switch");

        Assert.False(Has(bridge.Elma365, "w-switch"));
        Assert.DoesNotContain(await PoisonedAsync(), p => p.CallId == "w-switch");
    }

    [Fact]
    public async Task A_module_with_another_key_refuses_pushes_which_wait_out_the_grace_then_go_to_poison_with_its_reason()
    {
        await using var stranger = await Elma365Simulator.StartAsync(BridgeFixture.Elma365Token, bridgeKey: "another-module-key-0123456789");
        await RegisterAsync(stranger);
        try
        {
            await RingAsync("w-wrong-key");

            var poisoned = await WaitForPoisonAsync("w-wrong-key");

            var story = $"attempt {poisoned.Message.Attempt}, poisoned {poisoned.PoisonedAt - poisoned.Message.ReceivedAt} after the webhook, {stranger.RefusedCount} refusals: {poisoned.Reason}";
            Assert.True(poisoned.Reason.StartsWith("ELMA365 refused the message: ELMA365 answered 401", StringComparison.Ordinal), story);
            Assert.Contains("X-Bridge-Key", poisoned.Reason, StringComparison.Ordinal);
            Assert.True(poisoned.Message.Attempt > 1, "refused at once instead of waiting for a new address");
            Assert.True(poisoned.PoisonedAt - poisoned.Message.ReceivedAt >= WebhookAddressFixture.Grace, $"poisoned {poisoned.PoisonedAt - poisoned.Message.ReceivedAt} after the webhook");
            Assert.Empty(stranger.Received);
            Assert.True(stranger.RefusedCount >= 2);
        }
        finally
        {
            await RegisterAsync(bridge.Elma365);
        }
    }

    public static TheoryData<string, string, string?> BadRegistrations => new()
    {
        // body, error code, field
        { """{"url":"http://company.elma365.ru/hook"}""", "invalid_field", "url" },
        { """{"url":"ftp://company.elma365.ru/hook"}""", "invalid_field", "url" },
        { """{"url":"https://user:pw@company.elma365.ru/hook"}""", "invalid_field", "url" },
        { """{"url":"/api/hook"}""", "invalid_field", "url" },
        { """{"url":42}""", "invalid_field", "url" },
        { """{"url":""}""", "missing_field", "url" },
        { """{}""", "missing_field", "url" },
        { """[]""", "malformed_body", null },
        { """{"url":""", "malformed_body", null },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task A_bad_address_is_refused_with_a_json_reason_and_changes_nothing(string body, string error, string? field)
    {
        var before = await StoredUrlAsync();

        var (status, answer) = await RegisterAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, answer!["error"]!.GetValue<string>());
        Assert.Equal(field, answer["field"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(answer["message"]!.GetValue<string>()));
        Assert.Equal(before, await StoredUrlAsync());
    }

    [Fact]
    public async Task Registering_wants_the_function_key_and_a_small_body()
    {
        var body = new JsonObject { ["url"] = "https://company.elma365.ru/hook" }.ToJsonString();
        var before = await StoredUrlAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await RegisterAsync(body, key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RegisterAsync(body, key: "wrong-key")).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await RegisterAsync(new string(' ', 5000) + body)).Status);
        Assert.Equal(before, await StoredUrlAsync());
    }

    private async Task<List<PoisonedMessage>> PoisonedAsync() =>
        [.. (await bridge.Poison.PeekMessagesAsync(32)).Value.Select(m => System.Text.Json.JsonSerializer.Deserialize(m.Body, BridgeJsonContext.Default.PoisonedMessage)!)];

    private async Task<PoisonedMessage> WaitForPoisonAsync(string callId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await PoisonedAsync()).FirstOrDefault(p => p.CallId == callId) is { } poisoned)
            {
                return poisoned;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{callId} never reached the poison queue");
    }
}

public sealed class Elma365WebhookAddressTestsOnDevHost(WebhookAddressFixture bridge) : Elma365WebhookAddressTests(bridge), IClassFixture<WebhookAddressFixture>;

public sealed class Elma365WebhookAddressTestsOnFunctionsHost(FunctionsHostWebhookAddressFixture bridge) : Elma365WebhookAddressTests(bridge), IClassFixture<FunctionsHostWebhookAddressFixture>;
