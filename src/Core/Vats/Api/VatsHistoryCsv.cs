using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Megafon.Core.Vats.Api;

/// <summary>
/// Reads the PBX's history export: one call a line, <c>UID,type,client,account,via,start,wait,duration,record</c>.
/// Public SDKs read it without a header; when a header line does come, it names the columns, so
/// their order may differ. Extra columns are ignored and quoted values unquoted (CsvHelper, RFC 4180).
/// A line that is not a call is reported by number, not fatal: one odd line must not hold up the others.
/// </summary>
public static class VatsHistoryCsv
{
    /// <summary>The columns in the order the PBX writes them when no header says otherwise.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["uid", "type", "client", "account", "via", "start", "wait", "duration", "record"];

    private static readonly string[] Required = ["uid", "type", "start", "duration"];

    // The API's own format first; ISO 8601 as the PBX's newer exports write it.
    private static readonly string[] StartFormats = ["yyyyMMdd'T'HHmmss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss"];

    public static VatsHistory Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            BadDataFound = null,
        };

        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var parser = new CsvParser(reader, configuration);
        var columns = Positional();
        var calls = new List<VatsHistoryCall>();
        var unreadable = new List<int>();
        var first = true;
        while (parser.Read())
        {
            var fields = parser.Record ?? [];
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (first)
            {
                first = false;
                if (IsHeader(fields))
                {
                    columns = FromHeader(fields);
                    continue;
                }
            }

            if (TryRead(fields, columns, out var call))
            {
                calls.Add(call);
            }
            else
            {
                unreadable.Add(parser.Row);
            }
        }

        return new VatsHistory(calls, unreadable);
    }

    private static Dictionary<string, int> Positional() =>
        Columns.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.OrdinalIgnoreCase);

    private static bool IsHeader(string[] fields) =>
        fields.Any(f => f.Equals("uid", StringComparison.OrdinalIgnoreCase)) && fields.Any(f => f.Equals("start", StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, int> FromHeader(string[] fields)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Length; i++)
        {
            columns.TryAdd(fields[i], i);
        }

        var missing = Required.Where(name => !columns.ContainsKey(name)).ToList();
        return missing.Count == 0
            ? columns
            : throw new FormatException($"its header line lacks the column(s) {string.Join(", ", missing)}");
    }

    private static bool TryRead(string[] fields, Dictionary<string, int> columns, out VatsHistoryCall call)
    {
        call = null!;
        string? Field(string name) =>
            columns.TryGetValue(name, out var index) && index < fields.Length && !string.IsNullOrWhiteSpace(fields[index]) ? fields[index].Trim() : null;

        if (Field("uid") is not { } callId || Field("type") is not { } type)
        {
            return false;
        }

        if (Field("start") is not { } rawStart
            || !DateTimeOffset.TryParseExact(rawStart, StartFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return false;
        }

        if (!TrySeconds(Field("duration"), out var duration) || !TrySeconds(Field("wait"), out var wait))
        {
            return false;
        }

        call = new VatsHistoryCall(callId, type.ToLowerInvariant(), Field("client"), Field("account"), Field("via"), start, wait, duration, Field("record"));
        return true;
    }

    // An empty count is zero (a missed call has no talk time); anything else must be whole seconds.
    private static bool TrySeconds(string? raw, out int seconds)
    {
        seconds = 0;
        return raw is null || int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
    }
}
