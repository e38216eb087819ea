using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Json;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

/// <summary>
/// The C# half of the contract with the companion module: the HTTP requests the bridge pushes for
/// every fixture — headers and body as sent — must equal elma365/test/messages.golden.json, which
/// the module's Node test replays into VoipParseWebhookRequest. Renaming a JSON field or a header,
/// or changing the key, on either side breaks one of them. Regenerate after an intended change
/// with UPDATE_GOLDEN=1.
/// </summary>
public sealed class Elma365ContractTests
{
    /// <summary>The module key of the contract: the Node test sets the module's functionKey to the same value.</summary>
    public const string ModuleKey = "contract-module-key-0123456789";

    private const string Link = "https://vats123456.megapbx.ru/records/c-hist.mp3";

    private static readonly Elma365Options Options = new() { Token = "contract-elma365-token", ModuleKey = ModuleKey };

    /// <summary>What the processor pushes for each webhook: CallPolicy's decision on a new call (or one known to be outbound), messageId included.</summary>
    private static IEnumerable<(string Name, Elma365Message Message)> Fixtures()
    {
        VatsCallEvent Event(string type, string extra = "") =>
            WebhookFixtures.Parse<VatsCallEvent>($"cmd=event&type={type}&callid=c-{type.ToLowerInvariant()}&phone=79101234567&user=alexey&ext=703{extra}");

        VatsCallHistory History(string type, string status, int duration, string? link) =>
            WebhookFixtures.Parse<VatsCallHistory>($"cmd=history&type={type}&status={status}&callid=c-hist&phone=%2B79990001122&user=alexey&ext=703&start=20260405T120000Z&duration={duration}&wait=5" + (link is null ? string.Empty : $"&link={Uri.EscapeDataString(link)}"));

        var outbound = CallState.New with { Direction = VatsCallDirection.Out };
        Elma365Message Pushed(VatsCommand command, CallState? state = null, string? link = null) =>
            Assert.IsType<CallDecision.Deliver>(CallPolicy.Decide(state ?? CallState.New, command, link)).Message;

        // Inbound: the client calls the member.
        yield return ("event-incoming", Pushed(Event("INCOMING")));
        yield return ("event-accepted", Pushed(Event("ACCEPTED")));
        yield return ("event-completed", Pushed(Event("COMPLETED")));
        yield return ("event-cancelled", Pushed(Event("CANCELLED")));
        yield return ("event-transferred", Pushed(Event("TRANSFERRED", "&second_callid=c-second&direction=in")));

        // Outbound: the member calls the client, in every event of the call.
        yield return ("event-outgoing", Pushed(Event("OUTGOING")));
        yield return ("event-accepted-outbound", Pushed(Event("ACCEPTED"), outbound));
        yield return ("event-completed-outbound", Pushed(Event("COMPLETED", "&direction=out")));
        yield return ("event-cancelled-outbound", Pushed(Event("CANCELLED"), outbound));
        yield return ("event-transferred-outbound", Pushed(Event("TRANSFERRED", "&second_callid=c-second"), outbound));

        yield return ("history-success-with-link", Pushed(History("in", "Success", 120, Link), link: Link));
        yield return ("history-missed-without-link", Pushed(History("in", "missed", 0, null)));
        yield return ("history-out-success-with-link", Pushed(History("out", "Success", 42, Link), link: Link));
        yield return ("history-out-busy", Pushed(History("out", "Busy", 0, null)));
        yield return ("history-not-available", Pushed(History("in", "NotAvailable", 0, null)));
        yield return ("history-unknown-status", Pushed(History("in", "NotAllowed", 0, null)));
    }

    /// <summary>One push as the module receives it: the headers the bridge sets and the exact body.</summary>
    private static async Task<JsonObject> RequestAsync(string name, Elma365Message message)
    {
        using var request = Elma365Push.Create(message, new Uri("https://company.elma365.ru/api/extensions/module/webhook"), Options);
        var body = await request.Content!.ReadAsStringAsync();
        return new JsonObject
        {
            ["name"] = name,
            ["method"] = request.Method.Method,
            ["headers"] = new JsonObject
            {
                ["content-type"] = request.Content.Headers.ContentType!.ToString(),
                ["content-length"] = request.Content.Headers.ContentLength!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [Elma365Push.BridgeKeyHeader.ToLowerInvariant()] = string.Join(",", request.Headers.GetValues(Elma365Push.BridgeKeyHeader)),
            },
            ["body"] = body,
            ["message"] = JsonNode.Parse(body),
        };
    }

    [Fact]
    public async Task Pushed_requests_match_the_golden_file_the_module_test_replays()
    {
        var actual = new JsonArray();
        foreach (var (name, message) in Fixtures())
        {
            actual.Add(await RequestAsync(name, message));
        }

        var path = Path.Combine(Megafon.Testing.RepositoryFolder.Root, "elma365", "test", "messages.golden.json");
        var text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_GOLDEN=1 once.");
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.True(JsonNode.DeepEquals(golden, actual), $"The pushed requests no longer match {path}. If the change is intended, rerun with UPDATE_GOLDEN=1 and update elma365/module.ts.\nNow:\n{text}");
    }

    [Fact]
    public async Task Every_push_declares_its_length_and_carries_the_module_key()
    {
        foreach (var (name, message) in Fixtures())
        {
            using var request = Elma365Push.Create(message, new Uri("https://company.elma365.ru/hook"), Options);
            var bytes = await request.Content!.ReadAsByteArrayAsync();

            Assert.True(request.Content.Headers.ContentLength == bytes.Length, $"{name}: Content-Length {request.Content.Headers.ContentLength} for {bytes.Length} bytes");
            Assert.Equal("application/json; charset=utf-8", request.Content.Headers.ContentType!.ToString());
            Assert.Equal([ModuleKey], request.Headers.GetValues(Elma365Push.BridgeKeyHeader));
            Assert.Equal("Bearer contract-elma365-token", request.Headers.Authorization!.ToString());
            Assert.True(bytes.Length < 1024, $"{name}: a push stays small, {bytes.Length} bytes");
        }
    }

    [Fact]
    public void Fixtures_cover_every_elma365_enum_value_and_both_directions_of_every_event()
    {
        var messages = Fixtures().Select(f => f.Message).ToList();
        var events = messages.OfType<Elma365CallEvent>().Select(e => e.Event).ToHashSet();
        var directions = messages.Select(m => m switch { Elma365CallEvent e => e.Direction, Elma365CallRecord r => r.Direction, _ => default }).ToHashSet();
        var dispositions = messages.Select(m => m switch { Elma365CallEvent e => e.Disposition, Elma365CallRecord r => r.Disposition, _ => default }).ToHashSet();

        Assert.Equal(Enum.GetValues<Elma365WebhookEvent>().ToHashSet(), events);
        Assert.Equal(Enum.GetValues<Elma365CallDirection>().ToHashSet(), directions);
        Assert.Equal(Enum.GetValues<Elma365CallDisposition>().ToHashSet(), dispositions);

        var eventShapes = messages.OfType<Elma365CallEvent>().Select(e => (e.Event, e.Disposition, e.Direction)).ToHashSet();
        foreach (var (kind, disposition, _) in eventShapes)
        {
            Assert.Contains((kind, disposition, Elma365CallDirection.Out), eventShapes);
        }

        Assert.Contains(messages.OfType<Elma365CallRecord>(), r => r.Direction == Elma365CallDirection.Out);
    }

    [Theory]
    [InlineData("event-incoming", "79101234567", "703")]
    [InlineData("event-outgoing", "703", "79101234567")]
    [InlineData("event-completed-outbound", "703", "79101234567")]
    [InlineData("history-success-with-link", "+79990001122", "703")]
    [InlineData("history-out-success-with-link", "703", "+79990001122")]
    public void Src_is_the_caller_and_dst_the_callee(string name, string src, string dst)
    {
        var json = JsonSerializer.SerializeToNode(Fixtures().Single(f => f.Name == name).Message, BridgeJsonContext.Default.Elma365Message)!.AsObject();

        Assert.Equal(src, json["srcPhone"]!.GetValue<string>());
        Assert.Equal(dst, json["dstPhone"]!.GetValue<string>());
        Assert.False(json.ContainsKey("srcPhoneExt") || json.ContainsKey("dstPhoneExt"), "the PBX reports no extension behind the client's number");
    }

    [Fact]
    public void Json_uses_the_names_of_the_design_contract()
    {
        var record = JsonSerializer.SerializeToNode(Fixtures().Single(f => f.Name == "history-success-with-link").Message, BridgeJsonContext.Default.Elma365Message)!.AsObject();
        var notice = JsonSerializer.SerializeToNode(Fixtures().Single(f => f.Name == "event-incoming").Message, BridgeJsonContext.Default.Elma365Message)!.AsObject();

        string[] recordNames = ["kind", "callId", "messageId", "srcPhone", "dstPhone", "direction", "duration", "disposition", "startedAt", "link", "call", "user"];
        Assert.Equal(recordNames.Order(), record.Select(p => p.Key).Order());
        Assert.Equal(["id", "link"], record["call"]!.AsObject().Select(p => p.Key));
        Assert.Equal("callRecord", record["kind"]!.GetValue<string>());
        Assert.Equal("2026-04-05T12:00:00+00:00", record["startedAt"]!.GetValue<string>());
        Assert.Equal("event", notice["kind"]!.GetValue<string>());
        Assert.Equal("NotifyStart", notice["event"]!.GetValue<string>());
        Assert.False(notice.ContainsKey("secondCallId"));
    }

    [Fact]
    public void Every_push_names_its_call_and_what_it_is_and_no_two_pushes_share_a_messageId()
    {
        var ids = Fixtures().Select(f => (f.Name, f.Message.MessageId)).ToList();

        Assert.All(ids, i => Assert.False(string.IsNullOrEmpty(i.MessageId), $"{i.Name} has no messageId"));
        Assert.Equal("c-incoming|event:Incoming:703", ids.Single(i => i.Name == "event-incoming").MessageId);
        Assert.Equal("c-hist|history", ids.Single(i => i.Name == "history-success-with-link").MessageId);

        // The same webhook again (a retry, a replay, the PBX sending it twice) is the same push.
        var again = CallPolicy.Decide(CallState.New, WebhookFixtures.Parse<VatsCallEvent>("cmd=event&type=INCOMING&callid=c-incoming&phone=79101234567&user=alexey&ext=703"), null);
        Assert.Equal("c-incoming|event:Incoming:703", Assert.IsType<CallDecision.Deliver>(again).Message.MessageId);

        // Another member's leg of the same call is another push.
        var otherLeg = CallPolicy.Decide(CallState.New, WebhookFixtures.Parse<VatsCallEvent>("cmd=event&type=INCOMING&callid=c-incoming&phone=79101234567&user=maria&ext=704"), null);
        Assert.NotEqual("c-incoming|event:Incoming:703", Assert.IsType<CallDecision.Deliver>(otherLeg).Message.MessageId);
    }
}
