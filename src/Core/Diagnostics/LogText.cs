using System.Globalization;
using System.Text;

namespace Megafon.Core.Diagnostics;

/// <summary>
/// Makes text from outside safe to log. A line break in a call id forges a log line, NULs make a
/// log file binary, a bidi override reorders what an admin reads: such characters are written as
/// <c>\uXXXX</c>, and long text is cut. Intake validation already refuses them in call ids; this
/// keeps a log safe whatever reaches it (a replay of an old message, an admin's query).
/// </summary>
public static class LogText
{
    public const int MaxLength = 160;

    public static string Safe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.Length > MaxLength;
        var kept = cut ? text.AsSpan(0, MaxLength) : text.AsSpan();
        if (!cut && !ContainsUnsafe(kept))
        {
            return text;
        }

        var safe = new StringBuilder(kept.Length + 16);
        foreach (var c in kept)
        {
            if (IsUnsafe(c))
            {
                safe.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                safe.Append(c);
            }
        }

        return cut ? safe.Append('…').ToString() : safe.ToString();
    }

    private static bool ContainsUnsafe(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    // Surrogates too: a cut may split a pair, and call ids have no use for emoji.
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c)
        || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
