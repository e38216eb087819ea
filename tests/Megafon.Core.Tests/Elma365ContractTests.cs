using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Json;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

/// <summary>
/// The C# half of the contract with the companion module: the JSON the processor pushes for
/// every fixture must equal elma365/test/messages.golden.json, which the module's Node test
/// feeds to VoipParseWebhookRequest. Renaming a JSON field on either side breaks one of them.
/// Regenerate after an intended change with UPDATE_GOLDEN=1.
/// </summary>
public sealed class Elma365ContractTests
{
    private const string Link = "https://vats123456.megapbx.ru/records/c-hist.mp3";

    private static IEnumerable<(string Name, Elma365Message Message)> Fixtures()
    {
        VatsCallEvent Event(string type, string extra = "") =>
            WebhookFixtures.Parse<VatsCallEvent>($"cmd=event&type={type}&callid=c-{type.ToLowerInvariant()}&phone=79101234567&user=alexey&ext=703{extra}");

        VatsCallHistory History(string type, string status, int duration, string? link) =>
            WebhookFixtures.Parse<VatsCallHistory>($"cmd=history&type={type}&status={status}&callid=c-hist&phone=%2B79990001122&user=alexey&ext=703&start=20260405T120000Z&duration={duration}&wait=5" + (link is null ? string.Empty : $"&link={Uri.EscapeDataString(link)}"));

        yield return ("event-incoming", Elma365Translator.Translate(Event("INCOMING")));
        yield return ("event-accepted", Elma365Translator.Translate(Event("ACCEPTED")));
        yield return ("event-completed", Elma365Translator.Translate(Event("COMPLETED")));
        yield return ("event-cancelled", Elma365Translator.Translate(Event("CANCELLED")));
        yield return ("event-outgoing", Elma365Translator.Translate(Event("OUTGOING")));
        yield return ("event-accepted-outbound", Elma365Translator.Translate(Event("ACCEPTED"), VatsCallDirection.Out));
        yield return ("event-transferred", Elma365Translator.Translate(Event("TRANSFERRED", "&second_callid=c-second&direction=in")));
        yield return ("history-success-with-link", Elma365Translator.Translate(History("in", "Success", 120, Link), Link));
        yield return ("history-missed-without-link", Elma365Translator.Translate(History("in", "missed", 0, null), null));
        yield return ("history-out-busy", Elma365Translator.Translate(History("out", "Busy", 0, null), null));
        yield return ("history-not-available", Elma365Translator.Translate(History("in", "NotAvailable", 0, null), null));
        yield return ("history-unknown-status", Elma365Translator.Translate(History("in", "NotAllowed", 0, null), null));
    }

    [Fact]
    public void Pushed_json_matches_the_golden_file_the_module_test_reads()
    {
        var actual = new JsonArray([.. Fixtures().Select(f => new JsonObject
        {
            ["name"] = f.Name,
            ["message"] = JsonSerializer.SerializeToNode(f.Message, BridgeJsonContext.Default.Elma365Message),
        })]);
        var path = Path.Combine(Megafon.Testing.RepositoryFolder.Root, "elma365", "test", "messages.golden.json");
        var text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, text);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_GOLDEN=1 once.");
        var golden = JsonNode.Parse(File.ReadAllText(path));
        Assert.True(JsonNode.DeepEquals(golden, actual), $"The pushed JSON no longer matches {path}. If the change is intended, rerun with UPDATE_GOLDEN=1 and update elma365/module.ts.\nNow:\n{text}");
    }

    [Fact]
    public void Fixtures_cover_every_elma365_enum_value()
    {
        var messages = Fixtures().Select(f => f.Message).ToList();
        var events = messages.OfType<Elma365CallEvent>().Select(e => e.Event).ToHashSet();
        var directions = messages.Select(m => m switch { Elma365CallEvent e => e.Direction, Elma365CallRecord r => r.Direction, _ => default }).ToHashSet();
        var dispositions = messages.Select(m => m switch { Elma365CallEvent e => e.Disposition, Elma365CallRecord r => r.Disposition, _ => default }).ToHashSet();

        Assert.Equal(Enum.GetValues<Elma365WebhookEvent>().ToHashSet(), events);
        Assert.Equal(Enum.GetValues<Elma365CallDirection>().ToHashSet(), directions);
        Assert.Equal(Enum.GetValues<Elma365CallDisposition>().ToHashSet(), dispositions);
    }

    [Fact]
    public void Json_uses_the_names_of_the_design_contract()
    {
        var record = JsonSerializer.SerializeToNode(Fixtures().Single(f => f.Name == "history-success-with-link").Message, BridgeJsonContext.Default.Elma365Message)!.AsObject();
        var notice = JsonSerializer.SerializeToNode(Fixtures().Single(f => f.Name == "event-incoming").Message, BridgeJsonContext.Default.Elma365Message)!.AsObject();

        string[] recordNames = ["kind", "callId", "srcPhone", "dstPhone", "direction", "duration", "disposition", "startedAt", "link", "call", "user"];
        Assert.Equal(recordNames.Order(), record.Select(p => p.Key).Order());
        Assert.Equal(["id", "link"], record["call"]!.AsObject().Select(p => p.Key));
        Assert.Equal("callRecord", record["kind"]!.GetValue<string>());
        Assert.Equal("2026-04-05T12:00:00+00:00", record["startedAt"]!.GetValue<string>());
        Assert.Equal("event", notice["kind"]!.GetValue<string>());
        Assert.Equal("NotifyStart", notice["event"]!.GetValue<string>());
        Assert.False(notice.ContainsKey("secondCallId"));
    }
}
