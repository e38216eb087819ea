using System.Text;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Bench.Micro;

/// <summary>
/// Differential check of today's form reading (FormReader pair by pair) against the original one
/// (FormReader.ReadForm, <see cref="Baseline"/>): same success, same error, same fields in the same
/// order, on random bodies built from the pieces that make form decoding hard (separators, '+',
/// good and broken percent-escapes, multi-byte and invalid UTF-8, repeated names in other cases,
/// bodies past FormReader's value-count and name-length limits).
/// </summary>
public static class Equivalence
{
    private static readonly string[] Pieces =
    [
        "a", "b", "cmd", "CMD", "CallId", "callid", "type", "phone", "crm_token", "groupRealName", "x", "1", "79101234567",
        "=", "=", "&", "&", "&&", "==", "+", "++", " ", "\t", "%", "%2", "%2B", "%2b", "%20", "%41", "%3D", "%26", "%25",
        "%D0%9E", "%D0", "%9E", "%C3%A9", "%FF", "%00", "%zz", "%%", "%E2%82%AC", "%F0%9F%98%80", "%ED%A0%80", "%C0%AF",
        "%EF%BB%BF", "é", "Отдел", "\u0000", "\u007f",
    ];

    private static readonly byte[][] RawBytes = [[0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0x80], [0xF0, 0x9F]];

    public static int Run(int count, int seed = 2026)
    {
        var random = new Random(seed);
        var checkedCount = 0;
        foreach (var command in Enum.GetValues<Command>())
        {
            if (!Same(Samples.Bytes(command), out var why))
            {
                return Fail(Samples.Bytes(command), why);
            }

            checkedCount++;
        }

        foreach (var special in Specials())
        {
            if (!Same(special, out var why))
            {
                return Fail(special, why);
            }

            checkedCount++;
        }

        for (var i = 0; i < count; i++)
        {
            var body = RandomBody(random, i % 50 == 0 ? 700 : 30);
            if (!Same(body, out var why))
            {
                return Fail(body, why);
            }

            checkedCount++;
        }

        Console.WriteLine($"equivalence: {checkedCount} bodies read identically pair by pair and by FormReader.ReadForm (seed {seed})");
        return 0;
    }

    private static IEnumerable<byte[]> Specials()
    {
        yield return [];
        foreach (var text in new[] { "=", "&", "a", "a=", "=a", "a=1&", "a=1&b", "&a=1", "a=1=2", "a=1&&b=2", "a=1&=", "a&b=c", "+=+", "%=%", "a=%", "a=%4", "a=%41%" })
        {
            yield return Encoding.UTF8.GetBytes(text);
        }

        // At and past the value-count limit (a webhook's field limit) and FormReader's name-length limit.
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"k{i}=v")));
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, WebhookBody.MaxFields).Select(i => $"k{i}=v")));
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, WebhookBody.MaxFields + 1).Select(i => $"k{i}=v")));
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, WebhookBody.MaxFields).Select(_ => "=")));
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, WebhookBody.MaxFields + 1).Select(_ => "=")));
        yield return Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 1025).Select(_ => "=")));
        yield return Encoding.ASCII.GetBytes(new string('k', 2048) + "=v");
        yield return Encoding.ASCII.GetBytes(new string('k', 2049) + "=v");
        yield return Encoding.ASCII.GetBytes("a=1&" + new string('k', 1990) + "=v");
    }

    private static byte[] RandomBody(Random random, int maxPieces)
    {
        var bytes = new List<byte>();
        var pieces = random.Next(0, maxPieces);
        for (var p = 0; p < pieces; p++)
        {
            if (random.Next(40) == 0)
            {
                bytes.AddRange(RawBytes[random.Next(RawBytes.Length)]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(Pieces[random.Next(Pieces.Length)]));
            }
        }

        return [.. bytes];
    }

    private static bool Same(byte[] body, out string why)
    {
        var expectedOk = Baseline.TryReadForm(body, out var expected, out var expectedError);
        var actualOk = WebhookBody.TryRead(WebhookBody.Format.Form, body, out var actual, out var actualError);
        if (expectedOk != actualOk || expectedError?.Message != actualError?.Message || expectedError?.Code != actualError?.Code)
        {
            why = $"result {expectedOk}/{expectedError?.Message} expected, got {actualOk}/{actualError?.Message}";
            return false;
        }

        var e = expected.ToList();
        var a = actual.ToList();
        if (!e.SequenceEqual(a))
        {
            why = $"fields [{Show(e)}] expected, got [{Show(a)}]";
            return false;
        }

        // The same names must be found without regard to case, as before.
        foreach (var (key, _) in e)
        {
            if (expected.Optional(key.ToUpperInvariant()) != actual.Optional(key.ToUpperInvariant()))
            {
                why = $"lookup of {key} differs";
                return false;
            }
        }

        why = string.Empty;
        return true;
    }

    private static string Show(List<KeyValuePair<string, string>> pairs) =>
        string.Join(", ", pairs.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"));

    private static string Escape(string s) => string.Concat(s.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));

    private static int Fail(byte[] body, string why)
    {
        Console.Error.WriteLine($"equivalence: MISMATCH for body {Convert.ToHexString(body)} ({Escape(Encoding.UTF8.GetString(body))}): {why}");
        return 1;
    }
}
