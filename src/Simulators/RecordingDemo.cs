using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>
/// The end of the run command's demo: asks the bridge for each played call's recording, as the
/// ELMA365 module does (GetCallLink), and fetches what the link points at. With archiving on
/// (the default) the answer must become a link to the archive whose bytes are the PBX's.
/// </summary>
internal static class RecordingDemo
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<int> ShowAsync(Uri bridge, string functionKey, IReadOnlyList<(string CallId, string Link)> recorded)
    {
        var archiving = !string.Equals(Environment.GetEnvironmentVariable("Recordings__Archive"), "false", StringComparison.OrdinalIgnoreCase);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-functions-key", functionKey);
        Console.WriteLine();
        Console.WriteLine($"ELMA365 → bridge: GetCallLink for the {recorded.Count} recorded calls ({(archiving ? "archiving on" : "Recordings__Archive=false")})");
        var failed = 0;
        foreach (var (callId, pbxLink) in recorded)
        {
            var (status, answer) = await WaitForLinkAsync(http, new Uri(bridge, $"api/calls/{Uri.EscapeDataString(callId)}/link"), archiving);
            var link = answer?["link"]?.ToString();
            var archived = answer?["source"]?.ToString() == "archive";
            if (link is null || archived != archiving)
            {
                failed++;
                Console.WriteLine($"  {callId,-22} {status} {answer?.ToJsonString() ?? string.Empty}  ← expected {(archiving ? "a link to the archive" : "the PBX's link")}");
                continue;
            }

            var served = await http.GetByteArrayAsync(new Uri(link));
            var original = await http.GetByteArrayAsync(new Uri(pbxLink));
            var same = served.AsSpan().SequenceEqual(original);
            failed += same ? 0 : 1;
            Console.WriteLine($"  {callId,-22} {status} {(archived ? $"archive, valid until {answer!["expiresAt"]}" : "the PBX's link")}: {served.Length:N0} bytes, {(same ? "the same as the PBX's" : "DIFFERENT from the PBX's")}");
            Console.WriteLine($"  {string.Empty,-22} {link}");
        }

        return failed == 0 ? 0 : 1;
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
