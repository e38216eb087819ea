using System.Text.RegularExpressions;

namespace Megafon.Core.Diagnostics;

/// <summary>Masks phone numbers for logs: enough digits remain to tell calls apart, not to dial.</summary>
public static partial class PhoneMask
{
    /// <summary>Masks every run of five or more digits in free text (a PBX answer quoted in a log line).</summary>
    public static string MaskNumbers(string text) => LongDigitRuns().Replace(text ?? string.Empty, m => Mask(m.Value));

    [GeneratedRegex("[0-9]{5,}")]
    private static partial Regex LongDigitRuns();

    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "(none)";
        }

        // Keep a leading '+', the first two and the last two digits: +79*******67.
        Span<char> masked = stackalloc char[phone.Length];
        var digits = phone.Count(char.IsDigit);
        var seen = 0;
        for (var i = 0; i < phone.Length; i++)
        {
            var c = phone[i];
            if (!char.IsDigit(c))
            {
                masked[i] = c;
                continue;
            }

            seen++;
            masked[i] = digits <= 4 || seen <= 2 || seen > digits - 2 ? c : '*';
        }

        return digits <= 4 ? new string('*', phone.Length) : new string(masked);
    }
}
