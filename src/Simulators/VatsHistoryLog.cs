using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Megafon.Simulators;

/// <summary>One finished call as the PBX's history export lists it (DESIGN.md §2: UID,type,client,account,via,start,wait,duration,record).</summary>
public sealed record VatsHistoryEntry(string CallId, string Type, string Client, string Account, string Via, DateTimeOffset Start, int Wait, int Duration, string? Record);

/// <summary>
/// The PBX simulator's call history: every call played through it, served by <c>cmd=history</c>
/// as the PBX's CSV (no header unless asked for; times in UTC; <c>account</c> as <c>login@domain</c>).
/// </summary>
public sealed class VatsHistoryLog
{
    public const string Domain = "vats000000.megapbx.ru";

    private readonly ConcurrentDictionary<string, VatsHistoryEntry> _calls = new();

    public IReadOnlyList<VatsHistoryEntry> Calls => [.. _calls.Values.OrderBy(c => c.Start).ThenBy(c => c.CallId, StringComparer.Ordinal)];

    public void Add(VatsHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _calls[entry.CallId] = entry;
    }

    public void Clear() => _calls.Clear();

    /// <summary>The export's line for a call, from the <c>cmd=history</c> webhook the PBX sends for it (before any of it is lost).</summary>
    public static VatsHistoryEntry FromWebhook(VatsWebhook history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var f = history.Fields;
        var missed = f.GetValueOrDefault("status", string.Empty).Equals("missed", StringComparison.OrdinalIgnoreCase);
        var user = f.GetValueOrDefault("user", string.Empty);
        return new VatsHistoryEntry(
            f["callid"],
            missed ? "missed" : f.GetValueOrDefault("type", "in"),
            f.GetValueOrDefault("phone", string.Empty),
            user is "" or "pbx" ? string.Empty : $"{user}@{Domain}",
            f.GetValueOrDefault("diversion", string.Empty),
            DateTimeOffset.ParseExact(f["start"], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            int.Parse(f.GetValueOrDefault("wait", "0"), CultureInfo.InvariantCulture),
            int.Parse(f.GetValueOrDefault("duration", "0"), CultureInfo.InvariantCulture),
            f.GetValueOrDefault("link"));
    }

    /// <summary>The export of the calls that started in [<paramref name="from"/>, <paramref name="to"/>], as the PBX writes it.</summary>
    public string ToCsv(DateTimeOffset from, DateTimeOffset to, string type, int? limit, bool header)
    {
        var text = new StringBuilder();
        if (header)
        {
            text.Append("UID,type,client,account,via,start,wait,duration,record\n");
        }

        var calls = Calls.Where(c => c.Start >= from && c.Start <= to && (type is "all" or "" || c.Type == type));
        foreach (var c in limit is { } n ? calls.Take(n) : calls)
        {
            string[] values =
            [
                c.CallId, c.Type, c.Client, c.Account, c.Via,
                c.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                c.Wait.ToString(CultureInfo.InvariantCulture), c.Duration.ToString(CultureInfo.InvariantCulture), c.Record ?? string.Empty,
            ];
            text.AppendJoin(',', values.Select(Quote)).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
