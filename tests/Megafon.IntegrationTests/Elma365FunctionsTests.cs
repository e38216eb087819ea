using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>
/// The functions ELMA365 calls, over real HTTP with the function key, against the PBX simulator.
/// Tests in a class run one after another, so switching the simulator's failure mode is safe.
/// </summary>
public abstract class Elma365FunctionsTests(BridgeFixture bridge) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        bridge.Vats.Failure = VatsFailure.None;
        bridge.Vats.MakeCallAnswer = """{"uuid":"3f1c2d9a-0000-4000-8000-000000000001"}""";
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => InitializeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, string? key = BridgeFixture.FunctionKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, path));
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostCallAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge.BaseAddress, "api/calls"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Theory]
    [InlineData("api/members")]
    [InlineData("api/calls/any/link")]
    [InlineData("api/connection-test")]
    public async Task Every_elma365_function_wants_the_function_key(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, key: "wrong")).Status);
    }

    [Fact]
    public async Task The_key_may_also_come_as_the_code_query_parameter()
    {
        var (status, _) = await GetAsync($"api/members?code={BridgeFixture.FunctionKey}", key: null);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_master_key_opens_the_elma365_functions_too()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("api/members", BridgeFixture.MasterKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("api/connection-test", BridgeFixture.MasterKey)).Status);
    }

    [Fact]
    public async Task Members_lists_pbx_users_by_extension_else_login_with_their_names()
    {
        var (status, body) = await GetAsync("api/members");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["703=Алексей Смирнов", "704=Мария Иванова", "robot=robot"],
            body!.AsArray().Select(m => $"{m!["id"]}={m["label"]}"));
    }

    [Fact]
    public async Task Members_with_groups_adds_the_departments_whose_ext_comes_as_a_number()
    {
        var (status, body) = await GetAsync("api/members?groups=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("701=Отдел продаж", body!.AsArray().Select(m => $"{m!["id"]}={m["label"]}"));
        Assert.Equal(5, body.AsArray().Count);
    }

    public static TheoryData<VatsFailure, HttpStatusCode, string> PbxFailures => new()
    {
        { VatsFailure.ServerError, HttpStatusCode.BadGateway, "pbx_unavailable" },
        { VatsFailure.GatewayPage, HttpStatusCode.BadGateway, "pbx_unavailable" },
        { VatsFailure.WrongAddress, HttpStatusCode.BadGateway, "pbx_wrong_address" },
        { VatsFailure.NotJson, HttpStatusCode.BadGateway, "pbx_unavailable" },
    };

    [Theory]
    [MemberData(nameof(PbxFailures))]
    public async Task Members_maps_each_pbx_failure_to_a_clear_answer(VatsFailure failure, HttpStatusCode status, string code)
    {
        bridge.Vats.Failure = failure;

        var (actual, body) = await GetAsync("api/members");

        Assert.Equal(status, actual);
        Assert.Equal(code, body!["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Make_call_rings_the_manager_and_dials_the_client_digits_only()
    {
        var (status, body) = await PostCallAsync("""{"srcPhone":"703","dstPhone":"+7 (916) 123-45-67"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("calling", body!["status"]!.GetValue<string>());
        Assert.Equal("3f1c2d9a-0000-4000-8000-000000000001", body["callId"]!.GetValue<string>());
        Assert.Contains(new VatsMakeCall("703", "79161234567"), bridge.Vats.MakeCalls);
    }

    [Theory]
    [InlineData("""{"CallID":"abc-1"}""", "abc-1")]
    [InlineData("OK", null)]
    [InlineData("", null)]
    public async Task Make_call_takes_every_answer_the_pbx_gives_as_success(string answer, string? callId)
    {
        bridge.Vats.MakeCallAnswer = answer;

        var (status, body) = await PostCallAsync("""{"srcPhone":"alexey","dstPhone":"79161234567"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(callId, body!["callId"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"dstPhone":"79161234567"}""", "srcPhone")]
    [InlineData("""{"srcPhone":"703"}""", "dstPhone")]
    [InlineData("""{"srcPhone":"703","dstPhone":"call me"}""", "dstPhone")]
    [InlineData("""{"srcPhone":"703","dstPhone":"12"}""", "dstPhone")]
    [InlineData("""{"srcPhone":"70 3; drop","dstPhone":"79161234567"}""", "srcPhone")]
    [InlineData("not json", null)]
    public async Task Make_call_refuses_missing_or_invalid_phones_without_calling(string json, string? field)
    {
        var before = bridge.Vats.MakeCalls.Count;

        var (status, body) = await PostCallAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body!["field"]?.GetValue<string>());
        Assert.Equal(before, bridge.Vats.MakeCalls.Count);
    }

    [Fact]
    public async Task Make_call_reports_a_manager_the_pbx_does_not_know_as_the_pbx_said()
    {
        var (status, body) = await PostCallAsync("""{"srcPhone":"999","dstPhone":"79161234567"}""");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("pbx_invalid_parameters", body!["error"]!.GetValue<string>());
        Assert.Contains("Invalid parameters", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Make_call_is_never_retried_when_the_pbx_fails()
    {
        bridge.Vats.Failure = VatsFailure.ServerError;
        var before = bridge.Vats.RequestCount("makeCall");
        var readsBefore = bridge.Vats.RequestCount("accounts");

        var (status, body) = await PostCallAsync("""{"srcPhone":"703","dstPhone":"79161234567"}""");
        await GetAsync("api/members");

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("pbx_unavailable", body!["error"]!.GetValue<string>());
        Assert.Equal(1, bridge.Vats.RequestCount("makeCall") - before);
        Assert.Equal(3, bridge.Vats.RequestCount("accounts") - readsBefore);
    }

    [Fact]
    public async Task A_pbx_that_does_not_answer_in_time_is_a_504()
    {
        bridge.Vats.Failure = VatsFailure.Hang;

        var (status, body) = await PostCallAsync("""{"srcPhone":"703","dstPhone":"79161234567"}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("pbx_timeout", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_link_answers_from_the_calls_table_link_pending_none_or_unknown()
    {
        await bridge.SendAllAsync(
        [
            VatsScenarios.History("l-link", "in", "Success", "79101234567", "alexey", "703", 30, 1, $"https://{bridge.RecordingHost}/r/l-link.mp3"),
            VatsScenarios.History("l-pending", "in", "Success", "79101234567", "alexey", "703", 30, 1, null),
            VatsScenarios.History("l-missed", "in", "missed", "79101234567", "pbx", null, 0, 20, null),
        ]);
        string[] calls = ["l-link", "l-pending", "l-missed"];
        await bridge.Elma365.WaitForAsync(r => calls.All(id => r.Any(m => m["callId"]!.GetValue<string>() == id)), TimeSpan.FromSeconds(20));

        var link = await GetAsync("api/calls/l-link/link");
        var pending = await GetAsync("api/calls/l-pending/link");
        var missed = await GetAsync("api/calls/l-missed/link");
        var unknown = await GetAsync("api/calls/l-unknown/link");

        Assert.Equal((HttpStatusCode.OK, $"https://{bridge.RecordingHost}/r/l-link.mp3"), (link.Status, link.Body!["link"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Accepted, "pending"), (pending.Status, pending.Body!["status"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.NotFound, "no_recording"), (missed.Status, missed.Body!["error"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.NotFound, "call_not_found"), (unknown.Status, unknown.Body!["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_link_the_pbx_sends_later_fills_in_the_pending_call_without_a_second_record()
    {
        await bridge.SendAllAsync([VatsScenarios.History("l-late", "in", "Success", "79101234567", "alexey", "703", 30, 1, null)]);
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "l-late"), TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("api/calls/l-late/link")).Status);

        await bridge.SendAllAsync([VatsScenarios.History("l-late", "in", "Success", "79101234567", "alexey", "703", 30, 1, $"https://{bridge.RecordingHost}/r/l-late.mp3")]);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        (HttpStatusCode Status, JsonNode? Body) answer;
        do
        {
            await Task.Delay(200);
            answer = await GetAsync("api/calls/l-late/link");
        }
        while (answer.Status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal($"https://{bridge.RecordingHost}/r/l-late.mp3", answer.Body!["link"]!.GetValue<string>());
        Assert.Single(bridge.Elma365.Received, m => m["callId"]!.GetValue<string>() == "l-late");
    }

    [Fact]
    public async Task Connection_test_succeeds_when_the_pbx_and_storage_answer()
    {
        var (status, body) = await GetAsync("api/connection-test");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>());
        Assert.Null(body["failReason"]);
    }

    [Theory]
    [InlineData(VatsFailure.ServerError, "АТС недоступна")]
    [InlineData(VatsFailure.WrongAddress, "Vats__Endpoint")]
    public async Task Connection_test_says_what_to_fix(VatsFailure failure, string expected)
    {
        bridge.Vats.Failure = failure;

        var (status, body) = await GetAsync("api/connection-test");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body!["success"]!.GetValue<bool>());
        Assert.Contains(expected, body["failReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class Elma365FunctionsTestsOnDevHost(BridgeFixture bridge) : Elma365FunctionsTests(bridge), IClassFixture<BridgeFixture>;

public sealed class Elma365FunctionsTestsOnFunctionsHost(FunctionsHostFixture bridge) : Elma365FunctionsTests(bridge), IClassFixture<FunctionsHostFixture>;

/// <summary>The bridge configured with a PBX host that does not exist.</summary>
public class UnknownPbxHostFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Vats:Endpoint", "https://vats000000.invalid/sys/crm_api.wcgp")];
}

public sealed class FunctionsHostUnknownPbxHostFixture : UnknownPbxHostFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

public abstract class UnknownPbxHostTests(UnknownPbxHostFixture bridge)
{
    [Fact]
    public async Task A_pbx_address_that_does_not_resolve_is_reported_as_a_wrong_address()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/members"));
        request.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);

        using var response = await bridge.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("pbx_wrong_address", body!["error"]!.GetValue<string>());
        Assert.Contains("Vats__Endpoint", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class UnknownPbxHostTestsOnDevHost(UnknownPbxHostFixture bridge) : UnknownPbxHostTests(bridge), IClassFixture<UnknownPbxHostFixture>;

public sealed class UnknownPbxHostTestsOnFunctionsHost(FunctionsHostUnknownPbxHostFixture bridge) : UnknownPbxHostTests(bridge), IClassFixture<FunctionsHostUnknownPbxHostFixture>;

/// <summary>The bridge configured with a PBX key the PBX does not know.</summary>
public class WrongPbxKeyFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Vats:ApiKey", "not-the-pbx-key")];
}

public sealed class FunctionsHostWrongPbxKeyFixture : WrongPbxKeyFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

public abstract class WrongPbxKeyTests(WrongPbxKeyFixture bridge)
{
    [Fact]
    public async Task A_wrong_pbx_key_is_reported_as_such_by_members_make_call_and_connection_test()
    {
        using var members = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/members"));
        members.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
        using var call = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge.BaseAddress, "api/calls")) { Content = JsonContent.Create(new { srcPhone = "703", dstPhone = "79161234567" }) };
        call.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
        using var test = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/connection-test"));
        test.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);

        using var membersResponse = await bridge.Http.SendAsync(members);
        using var callResponse = await bridge.Http.SendAsync(call);
        var testBody = await (await bridge.Http.SendAsync(test)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadGateway, membersResponse.StatusCode);
        Assert.Equal("pbx_invalid_token", (await membersResponse.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        Assert.Equal("pbx_invalid_token", (await callResponse.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        Assert.False(testBody!["success"]!.GetValue<bool>());
        Assert.Contains("Vats__ApiKey", testBody["failReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class WrongPbxKeyTestsOnDevHost(WrongPbxKeyFixture bridge) : WrongPbxKeyTests(bridge), IClassFixture<WrongPbxKeyFixture>;

public sealed class WrongPbxKeyTestsOnFunctionsHost(FunctionsHostWrongPbxKeyFixture bridge) : WrongPbxKeyTests(bridge), IClassFixture<FunctionsHostWrongPbxKeyFixture>;
