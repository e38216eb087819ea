using System.Net;

namespace Megafon.Core.Recordings;

/// <summary>What the archiver does with one answer of the PBX.</summary>
public enum RecordingVerdict
{
    /// <summary>200: stream it into the archive.</summary>
    Archive,

    /// <summary>401 from the PBX's own host, asked without the key: ask again with <c>X-API-KEY</c>.</summary>
    RetryWithKey,

    /// <summary>A redirect: followed only to a host the link policy allows.</summary>
    Redirect,

    /// <summary>404: the PBX has not finished the file; try again later.</summary>
    NotReady,

    /// <summary>408, 429, 5xx: the PBX is struggling; try again later.</summary>
    Transient,

    /// <summary>Anything else can never succeed: poison with the reason.</summary>
    Refuse,
}

/// <summary>The archiver's pure decisions about the PBX's answers, apart from the I/O.</summary>
public static class RecordingResponseRules
{
    /// <summary>
    /// Audio of any kind, or bytes the server does not name (application/octet-stream, also what a
    /// missing Content-Type means). Anything else (an HTML login or error page, JSON) is not a recording.
    /// </summary>
    public static bool IsRecordingType(string? mediaType) =>
        string.IsNullOrEmpty(mediaType)
        || mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase);

    public static RecordingVerdict Judge(HttpStatusCode status, bool keySent, bool fromPbxHost) => (int)status switch
    {
        200 => RecordingVerdict.Archive,
        401 when !keySent && fromPbxHost => RecordingVerdict.RetryWithKey,
        301 or 302 or 303 or 307 or 308 => RecordingVerdict.Redirect,
        404 => RecordingVerdict.NotReady,
        408 or 429 or >= 500 => RecordingVerdict.Transient,
        _ => RecordingVerdict.Refuse,
    };
}
