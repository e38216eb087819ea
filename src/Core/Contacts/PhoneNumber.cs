namespace Megafon.Core.Contacts;

/// <summary>
/// Phone numbers compared the way people write them: by digits, with Russia's trunk prefix
/// folded in, so <c>+7 (916) 123-45-67</c>, <c>8 916 123 45 67</c>, <c>9161234567</c> and
/// <c>79161234567</c> are one number.
/// </summary>
public static class PhoneNumber
{
    // Shorter than this is an extension or a service number, not a client.
    private const int MinimumDigits = 7;

    /// <summary>
    /// The number as digits with its country code: 11 digits starting with 8 become 7…, 10 digits
    /// (a Russian number written without its country code) get 7 in front. Null when there are
    /// too few digits to be a client's number.
    /// </summary>
    public static string? Canonical(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return null;
        }

        Span<char> digits = stackalloc char[Math.Min(phone.Length, 32)];
        var count = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return null;
                }

                digits[count++] = c;
            }
        }

        if (count < MinimumDigits)
        {
            return null;
        }

        var number = digits[..count];
        return count switch
        {
            11 when number[0] == '8' => string.Concat("7", number[1..]),
            10 => string.Concat("7", number),
            _ => new string(number),
        };
    }

    /// <summary>
    /// What to search ELMA365 for: the ten digits after a Russian number's country code, which
    /// every way of writing that number contains, else the whole canonical number.
    /// </summary>
    public static string SearchKey(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return canonical.Length == 11 && canonical[0] == '7' ? canonical[1..] : canonical;
    }
}
