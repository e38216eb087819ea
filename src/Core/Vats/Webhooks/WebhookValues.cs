using System.Buffers;

namespace Megafon.Core.Vats.Webhooks;

/// <summary>
/// The shapes the bridge accepts for webhook values that become keys, identifiers or phones. Call
/// ids and logins become table keys, dedupe keys, log scopes and ELMA365 member ids; phones reach
/// ELMA365 as phones. What PBXs send fits (<c>B10D0EB124F4E64AF4EA-1511</c>, <c>g_&lt;uuid&gt;@domain</c>,
/// <c>ivan.petrov</c>, <c>+79101234567</c>); control characters, invalid UTF-8 (U+FFFD), bidi
/// overrides, look-alike letters from other scripts and markup do not.
/// </summary>
public static class WebhookValues
{
    /// <summary>Longest call id, login or extension: real ones are under 80; table keys allow 1 KiB.</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>Most digits in a phone: E.164 has 15, prefixes and extensions add a few.</summary>
    public const int MaxPhoneDigits = 32;

    /// <summary>What an identifier may hold besides ASCII letters and digits.</summary>
    public const string IdentifierPunctuation = "- . _ ~ @ : + = / * #";

    private const int MaxHiddenNumberLength = 64;

    private static readonly SearchValues<char> IdentifierChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + IdentifierPunctuation.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= MaxIdentifierLength && !value.AsSpan().ContainsAnyExcept(IdentifierChars);

    /// <summary>Digits with an optional leading '+'.</summary>
    public static bool IsPhone(string value)
    {
        var digits = value.StartsWith('+') ? value.AsSpan(1) : value.AsSpan();
        return digits.Length is > 0 and <= MaxPhoneDigits && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// What a PBX sends for a caller who hides their number instead of one: words in any script
    /// without a digit (<c>anonymous</c>, <c>Unknown</c>, <c>anonymous@anonymous.invalid</c>,
    /// <c>Скрытый номер</c>). Such a call is real: it is taken without the client's number.
    /// </summary>
    public static bool IsHiddenNumber(string value)
    {
        if (value.Length > MaxHiddenNumberLength)
        {
            return false;
        }

        var letters = false;
        foreach (var c in value)
        {
            if (char.IsLetter(c))
            {
                letters = true;
            }
            else if (c is not (' ' or '.' or '-' or '_' or '@'))
            {
                return false;
            }
        }

        return letters;
    }
}
