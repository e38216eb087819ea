using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;
using Microsoft.Extensions.Logging.Testing;

namespace Megafon.IntegrationTests;

/// <summary>A bridge of its own, so every line the bridge's code logs belongs to the one call sent.</summary>
public sealed class LogCaptureFixture : BridgeFixture;

/// <summary>
/// On the DevHost only: it reads the captured log records with their scopes in process; on the
/// Functions host the app's own lines are exported by the worker, not written to the host's console.
/// </summary>
public sealed class LoggingTests(LogCaptureFixture bridge) : IClassFixture<LogCaptureFixture>
{
    private const string Phone = "79161234567";
    private const string CallId = "log-call-1";

    [Fact]
    public async Task A_calls_log_lines_all_carry_its_call_id_and_none_holds_a_phone_number_or_a_key()
    {
        var call = VatsScenarios.IncomingAnswered(CallId, Phone, "alexey", "703", bridge.RecordingHost).ToList();
        call.Add(VatsScenarios.History(CallId, "in", "Success", Phone, "alexey", "703", 95, 7, "https://elsewhere.example.com/r.mp3"));
        await bridge.SendAllAsync(call);
        await bridge.Elma365.WaitForAsync(r => r.Count(m => m["callId"]!.GetValue<string>() == CallId) >= 4, TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        // A refused webhook carrying the same phone, and a wrong key.
        using var refused = await new VatsWebhookSender(bridge.Http, new Uri(bridge.BaseAddress, "api/vats/webhook"), "wrong-" + BridgeFixture.CrmToken)
            .SendAsync(VatsScenarios.Event("INCOMING", CallId, Phone, "alexey", "703"));

        var records = bridge.Logs.GetSnapshot();
        var callLines = records.Where(r => (r.Category ?? string.Empty).StartsWith("Megafon.Core.", StringComparison.Ordinal)
                                           && !r.Category!.EndsWith("StorageInitializer", StringComparison.Ordinal)
                                           && !(r.Message ?? string.Empty).StartsWith("Webhook rejected", StringComparison.Ordinal))
            .ToList();

        Assert.True(callLines.Count >= 10, $"expected the call's journey in the logs, got {callLines.Count} lines");
        Assert.All(callLines, line => Assert.Equal(CallId, CallIdOf(line)));
        Assert.Contains(callLines, l => (l.Message ?? string.Empty).Contains("Delivered event:Incoming:703", StringComparison.Ordinal));
        Assert.Contains(callLines, l => (l.Message ?? string.Empty).Contains("79*******67", StringComparison.Ordinal));

        string[] secrets = [Phone, BridgeFixture.CrmToken, BridgeFixture.VatsApiKey, BridgeFixture.Elma365Token, BridgeFixture.FunctionKey, BridgeFixture.MasterKey];
        foreach (var record in records)
        {
            var text = Everything(record);
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{record.Category} logged '{secret}': {record.Message}");
            }
        }
    }

    [Fact]
    public async Task A_forged_call_id_never_breaks_a_log_line_or_makes_it_binary()
    {
        string[] forged = ["log-forged%0D%0Ainfo%3A+Megafon.Core.Intake.VatsWebhookIntake%5B0%5D+Webhook+event+accepted", "log-forged%00%00%00", "log-forged%E2%80%AEdecrof"];
        foreach (var callId in forged)
        {
            var body = $"cmd=event&type=INCOMING&callid={callId}&phone={Phone}&user=alexey&ext=703&crm_token={BridgeFixture.CrmToken}";
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
            using var response = await bridge.Http.PostAsync(new Uri(bridge.BaseAddress, "api/vats/webhook"), content);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }

        await Task.Delay(300);
        foreach (var record in bridge.Logs.GetSnapshot().Where(r => (r.Category ?? string.Empty).StartsWith("Megafon.", StringComparison.Ordinal)))
        {
            var text = string.Join(" | ", [record.Message, .. record.Scopes.Select(s => s?.ToString()), .. (record.StructuredState ?? []).Select(p => p.Value)]);
            Assert.False(text.Any(c => char.IsControl(c) || c == '\u202E'), $"{record.Category} logged a control character: {text}");
        }
    }

    private static string? CallIdOf(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>()
            .SelectMany(s => s)
            .Where(p => p.Key == "CallId")
            .Select(p => p.Value as string)
            .LastOrDefault();

    // The line as any sink could write it: message, structured values, scopes, exception.
    private static string Everything(FakeLogRecord record) =>
        string.Join(
            " | ",
            [
                record.Message,
                .. (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"),
                .. record.Scopes.Select(s => s is IEnumerable<KeyValuePair<string, object>> pairs ? string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}")) : s?.ToString()),
                record.Exception?.ToString(),
            ]);
}
