using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>What the run command's demo found of one call's recording.</summary>
internal sealed record RecordingCheck(bool Ok, string Text);

/// <summary>
/// The end of the run command's demo: asks the bridge for each played call's recording, as the
/// ELMA365 module does (GetCallLink), and fetches what the link points at. With archiving on
/// (the default) the answer must become a link to the archive whose bytes are the PBX's.
/// </summary>
internal static class RecordingDemo
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static bool Archiving => !string.Equals(Environment.GetEnvironmentVariable("Recordings__Archive"), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks every recorded call at once; the answer maps each call id to what was found.</summary>
    public static async Task<IReadOnlyDictionary<string, RecordingCheck>> CheckAsync(Uri bridge, string functionKey, IReadOnlyList<(string CallId, string Link)> recorded)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-functions-key", functionKey);
        var checks = await Task.WhenAll(recorded.Select(async r => (r.CallId, Check: await CheckOneAsync(http, bridge, r.CallId, r.Link))));
        return checks.ToDictionary(c => c.CallId, c => c.Check);
    }

    private static async Task<RecordingCheck> CheckOneAsync(HttpClient http, Uri bridge, string callId, string pbxLink)
    {
        var (status, answer) = await WaitForLinkAsync(http, new Uri(bridge, $"api/calls/{Uri.EscapeDataString(callId)}/link"), Archiving);
        var link = answer?["link"]?.ToString();
        var archived = answer?["source"]?.ToString() == "archive";
        if (link is null || archived != Archiving)
        {
            return new RecordingCheck(false, $"GetCallLink → {status} {answer?.ToJsonString()}, expected {(Archiving ? "a link to the archive" : "the PBX's link")}");
        }

        var served = await http.GetByteArrayAsync(new Uri(link));
        var original = await http.GetByteArrayAsync(new Uri(pbxLink));
        var same = served.AsSpan().SequenceEqual(original);
        var source = archived
            ? $"a link to the archive's copy valid until {DateTimeOffset.Parse(answer!["expiresAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToLocalTime():HH:mm:ss}"
            : "the PBX's own link";
        return new RecordingCheck(same, $"GetCallLink → {status}, {source}; {served.Length:N0} bytes there, {(same ? "the same as the PBX's" : "DIFFERENT from the PBX's")}");
    }

    // The archive follows the history by a moment: ask until the link is the archive's.
    private static async Task<(int Status, JsonNode? Answer)> WaitForLinkAsync(HttpClient http, Uri address, bool archiving)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await http.GetAsync(address);
            var text = await response.Content.ReadAsStringAsync();
            var answer = text.Length > 0 ? JsonNode.Parse(text) : null;
            if (!archiving || answer?["source"]?.ToString() == "archive" || DateTime.UtcNow > deadline)
            {
                return ((int)response.StatusCode, answer);
            }

            await Task.Delay(250);
        }
    }
}
