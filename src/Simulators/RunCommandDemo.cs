using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>
/// The run command's demo: plays one call of each kind through the bridge as the PBX would, waits
/// for what ELMA365 receives, checks each recording through GetCallLink, and prints it all grouped
/// per call: what the PBX sent, what ELMA365 got, where the recording is.
/// </summary>
internal static class RunCommandDemo
{
    private const int Width = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private sealed record DemoCall(string Title, IReadOnlyList<VatsWebhook> Webhooks);

    private sealed record Sent(VatsWebhook Webhook, int Status, string Answer);

    /// <returns>0 when ELMA365 received the calls and every recording came back as the PBX's bytes.</returns>
    public static async Task<int> RunAsync(Uri bridge, string crmToken, Uri elma, string recordingHost, string? functionKey, TextWriter output)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sender = new VatsWebhookSender(http, new Uri(bridge, "api/vats/webhook"), crmToken);
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        DemoCall[] calls =
        [
            new("Incoming, answered: a client rings alexey (703), who answers; the PBX asks first whose client it is",
                VatsScenarios.IncomingAnswered($"demo-in-{stamp}", "79161234567", "alexey", "703", recordingHost)),
            new("Incoming through a group, missed: alexey (703) and maria (704) both ring, nobody answers",
                VatsScenarios.IncomingMissedViaGroup($"demo-miss-{stamp}", "79261234567", [("alexey", "703"), ("maria", "704")])),
            new("Outgoing: maria (704) calls a client, who answers",
                VatsScenarios.Outgoing($"demo-out-{stamp}", "79031234567", "maria", "704", recordingHost)),
            new("Transferred: alexey (703) answers and transfers the client to maria (704), under a second call id",
                VatsScenarios.Transferred($"demo-tr-{stamp}", $"demo-tr2-{stamp}", "79051234567", ("alexey", "703"), ("maria", "704"), recordingHost)),
        ];

        var from = await Elma365Watch.CountAsync(http, elma);
        await output.WriteLineAsync($"Demo: {calls.Length} calls, {calls.Sum(c => c.Webhooks.Count)} webhooks from the PBX simulator through the bridge to the ELMA365 simulator...");
        var sent = new List<IReadOnlyList<Sent>>();
        foreach (var call in calls)
        {
            var answers = new List<Sent>();
            foreach (var webhook in call.Webhooks)
            {
                using var response = await sender.SendAsync(webhook);
                answers.Add(new Sent(webhook, (int)response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            sent.Add(answers);
        }

        // Every queued webhook ends as one ELMA365 message, or is dropped by design (a stale or
        // duplicate one): wait until they all came, or nothing more comes.
        var queued = sent.SelectMany(s => s).Count(s => s.Webhook.Fields["cmd"] != "contact" && s.Status is >= 200 and < 300);
        var received = await WaitForMessagesAsync(http, elma, from, stamp, queued);
        var recorded = received.Where(a => a.Message["kind"]?.ToString() == "callRecord" && a.Message["link"] is not null)
            .Select(a => (a.Message["callId"]!.ToString(), a.Message["link"]!.ToString()))
            .ToList();
        var recordings = functionKey is null || recorded.Count == 0
            ? new Dictionary<string, RecordingCheck>()
            : await RecordingDemo.CheckAsync(bridge, functionKey, recorded);

        for (var i = 0; i < calls.Length; i++)
        {
            var ids = calls[i].Webhooks.Select(w => w.CallId).ToHashSet();
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{i + 1}. {calls[i].Title}");
            await output.WriteLineAsync(Wrap("   PBX → bridge: ", Describe(sent[i])));
            await output.WriteLineAsync("   ELMA365 received:");
            foreach (var arrival in received.Where(a => ids.Contains(Elma365MessageLine.CallOf(a.Message))))
            {
                await output.WriteLineAsync("     " + Elma365MessageLine.Format(arrival));
            }

            foreach (var id in ids.Where(recordings.ContainsKey))
            {
                await output.WriteLineAsync($"   Recording of {id}: {recordings[id].Text}");
            }
        }

        var failedRecordings = recordings.Values.Count(r => !r.Ok);
        await output.WriteLineAsync();
        await output.WriteLineAsync(
            $"ELMA365 received {received.Count} messages for the {queued} webhooks queued"
            + (recordings.Count == 0 ? "." : $"; {recordings.Count - failedRecordings} of {recordings.Count} recordings served as the PBX's bytes."));
        return received.Count > 0 && failedRecordings == 0 ? 0 : 1;
    }

    private static async Task<List<Elma365Arrival>> WaitForMessagesAsync(HttpClient http, Uri elma, int from, string stamp, int expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        var ours = new List<Elma365Arrival>();
        var lastChange = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var arrivals = await http.GetFromJsonAsync<List<Elma365Arrival>>(new Uri(elma, $"elma365/arrivals?from={from}"), JsonSerializerOptions.Web) ?? [];
            from += arrivals.Count;
            var more = arrivals.Where(a => Elma365MessageLine.CallOf(a.Message).EndsWith(stamp, StringComparison.Ordinal)).ToList();
            if (more.Count > 0)
            {
                ours.AddRange(more);
                lastChange = DateTime.UtcNow;
            }

            if (ours.Count >= expected || (ours.Count > 0 && DateTime.UtcNow - lastChange > Quiet))
            {
                break;
            }

            await Task.Delay(200);
        }

        return ours;
    }

    // "contact → caller «…», routed to 703", then each webhook by its type and member, with the
    // bridge's status once when they all got the same.
    private static List<string> Describe(IReadOnlyList<Sent> sent)
    {
        var parts = new List<string>();
        var sameStatus = sent.Where(s => s.Webhook.Fields["cmd"] != "contact").Select(s => s.Status).Distinct().Count() == 1;
        foreach (var s in sent)
        {
            var fields = s.Webhook.Fields;
            var name = fields["cmd"] switch
            {
                "contact" => $"contact {DescribeContact(s.Answer)}",
                "history" => $"history {fields.GetValueOrDefault("status")} {fields.GetValueOrDefault("user")}",
                _ => $"{fields.GetValueOrDefault("type")} {fields.GetValueOrDefault("user")}",
            };
            parts.Add(sameStatus || (fields["cmd"] == "contact" && s.Status == 200) ? name : $"{name} ({s.Status})");
        }

        if (sameStatus)
        {
            parts[^1] += $": {sent.Last(s => s.Webhook.Fields["cmd"] != "contact").Status} each";
        }

        return parts;
    }

    // The PBX shows contact_name on the manager's phone and rings responsible first.
    private static string DescribeContact(string answer)
    {
        try
        {
            return JsonNode.Parse(answer) is JsonObject { Count: > 0 } known
                ? $"→ «{known["contact_name"]}», routed to {known["responsible"]?.ToString() ?? "(nobody: no binding)"}"
                : $"→ unknown caller {answer}";
        }
        catch (JsonException)
        {
            return answer;
        }
    }

    private static string Wrap(string label, IEnumerable<string> parts)
    {
        var text = new StringBuilder(label);
        var column = label.Length;
        var first = true;
        foreach (var part in parts)
        {
            var piece = first ? part : ", " + part;
            if (!first && column + piece.Length > Width)
            {
                text.Append(',').AppendLine().Append(' ', label.Length);
                piece = part;
                column = label.Length;
            }

            text.Append(piece);
            column += piece.Length;
            first = false;
        }

        return text.ToString();
    }
}
