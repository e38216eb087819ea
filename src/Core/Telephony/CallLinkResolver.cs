using Megafon.Core.Calls;
using Megafon.Core.Http;

namespace Megafon.Core.Telephony;

/// <summary>
/// Answers ELMA365's VoipGetCallLink from the <c>calls</c> table: the recording link, or why
/// there is none yet. A link the PBX sends later (a repeated history) fills the row in.
/// </summary>
public sealed class CallLinkResolver(CallStore calls)
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
}
