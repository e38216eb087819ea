using System.Globalization;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Http;
using Megafon.Core.Recordings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Telephony;

/// <summary>
/// Answers ELMA365's VoipGetCallLink from the <c>calls</c> table: a fresh short-lived link to the
/// archived recording when there is one, else the PBX's own link, or why there is none yet. A link
/// the PBX sends later (a repeated history) fills the row in.
/// </summary>
public sealed partial class CallLinkResolver(
    CallStore calls,
    RecordingArchive archive,
    RecordingLinks archivedLinks,
    IOptions<RecordingsOptions> recordings,
    TimeProvider time,
    ILogger<CallLinkResolver> logger)
{
    public async Task<ApiResult> GetAsync(string? callId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(callId) || callId.Length > 256)
        {
            return ApiResult.Error(400, "invalid_field", "callId must be the PBX call id (1 to 256 characters).", "callId");
        }

        var (state, etag) = await calls.GetAsync(callId, cancellationToken).ConfigureAwait(false);
        if (etag == default)
        {
            return ApiResult.Error(404, "call_not_found", $"The bridge has no call '{callId}'.");
        }

        if (archive.Enabled && state.RecordingBlob is { } blob)
        {
            var answer = await ArchivedAsync(callId, state, blob, cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return answer;
            }
        }

        if (state.Link is { } link)
        {
            return ApiResult.Ok(new Dictionary<string, string> { ["callId"] = callId, ["link"] = link });
        }

        if (state.HistoryRecorded && !state.LinkMissing)
        {
            return ApiResult.Error(404, "no_recording", "This call has no recording: it was not answered, or recording is off on the PBX.");
        }

        return new ApiResult(202, new Dictionary<string, string>
        {
            ["callId"] = callId,
            ["status"] = "pending",
            ["message"] = "The PBX has not sent this call's recording link yet; ask again in a few minutes.",
        });
    }

    // Null when the archive cannot sign a link right now: the PBX's link (if still alive) is better than nothing.
    private async Task<ApiResult?> ArchivedAsync(string callId, CallState state, string blob, CancellationToken cancellationToken)
    {
        var retention = TimeSpan.FromDays(recordings.Value.RetentionDays);
        if (state.RecordingArchivedAt is { } archivedAt && time.GetUtcNow() - archivedAt > retention)
        {
            return ApiResult.Error(404, "recording_expired", $"The recording was archived on {archivedAt:yyyy-MM-dd} and deleted after Recordings__RetentionDays ({recordings.Value.RetentionDays} days).");
        }

        try
        {
            var (link, expiresOn) = await archivedLinks.ReadLinkAsync(blob, cancellationToken).ConfigureAwait(false);
            return ApiResult.Ok(new Dictionary<string, string>
            {
                ["callId"] = callId,
                ["link"] = link.AbsoluteUri,
                ["expiresAt"] = expiresOn.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["source"] = "archive",
            });
        }
        catch (Exception e) when (e is Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException or AggregateException)
        {
            LogLinkFailed(logger, e);
            return state.Link is null
                ? ApiResult.Error(503, "archive_unavailable", "The recording is archived but no link to it can be made right now (storage unreachable, or the app's identity lacks Storage Blob Delegator); try again later.")
                : null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No link to the archived recording could be made (the identity needs Storage Blob Delegator on the storage account); answering the PBX's link")]
    private static partial void LogLinkFailed(ILogger logger, Exception exception);
}
