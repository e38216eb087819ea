using System.Globalization;
using System.Text;

namespace Megafon.Core.Recordings;

/// <summary>
/// Where a recording lands in the <c>recordings</c> container: <c>yyyy/MM/dd/&lt;callid&gt;.&lt;ext&gt;</c>,
/// dated by the call's start in UTC, so an admin browsing the container finds a day's calls together.
/// </summary>
public static class RecordingBlobName
{
    /// <summary>The blob name of a call's recording.</summary>
    public static string For(string callId, DateTimeOffset startedAt, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.UtcDateTime:yyyy'/'MM'/'dd}/{SafeCallId(callId)}.{extension}");

    /// <summary>
    /// The call id with every character other than ASCII letters, digits, '-' and '_' written as
    /// '~' and two hex digits per UTF-8 byte. One-to-one, so two calls never share a blob, and free
    /// of '/' (no extra folders), '.' (the extension stays unambiguous) and characters URLs escape.
    /// </summary>
    public static string SafeCallId(string callId)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var safe = new StringBuilder(callId.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in callId.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_'))
            {
                safe.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                safe.Append('~').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return safe.ToString();
    }

    /// <summary>The link's file extension (lower case) when it has a plausible one: 1–5 ASCII letters or digits.</summary>
    public static string? ExtensionOf(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var file = link.Segments.Length == 0 ? string.Empty : Uri.UnescapeDataString(link.Segments[^1]);
        var dot = file.LastIndexOf('.');
        if (dot <= 0 || dot == file.Length - 1)
        {
            return null;
        }

        var extension = file[(dot + 1)..];
        return extension.Length <= 5 && extension.All(char.IsAsciiLetterOrDigit) ? extension.ToLowerInvariant() : null;
    }

    /// <summary>An extension for a link without one, from the media type the PBX answered with.</summary>
    public static string ExtensionFor(string? mediaType) => mediaType?.ToLowerInvariant() switch
    {
        "audio/mpeg" or "audio/mp3" or "audio/mpeg3" or "audio/x-mpeg-3" => "mp3",
        "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" => "wav",
        "audio/ogg" => "ogg",
        "audio/opus" => "opus",
        "audio/mp4" or "audio/x-m4a" or "audio/aac" => "m4a",
        "audio/webm" => "webm",
        _ => "bin",
    };
}
