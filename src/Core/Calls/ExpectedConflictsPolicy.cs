using Azure.Core;
using Azure.Core.Pipeline;

namespace Megafon.Core.Calls;

/// <summary>
/// The <c>calls</c> table's writes are conditional: a 412 (somebody wrote the row since it was
/// read) or a 409 (somebody created it first) is the protocol working, and <see cref="CallStore"/>
/// answers it by reading again. Azure.Core logs every error response as a warning, so a busy
/// call, or two instances, buried real storage trouble under dozens of these. For exactly those
/// requests this tells the pipeline that such an answer is not an error, so it is logged as an
/// ordinary response. The Tables client still throws on it (it takes only its success statuses),
/// so <see cref="CallStore"/> sees it as before. Every other request, table and status is judged
/// as Azure.Core always does: a real conflict elsewhere, or a 412 on an unconditional write, still warns.
/// </summary>
public sealed class ExpectedConflictsPolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ExpectedStatus(message.Request) is { } expected)
        {
            message.ResponseClassifier = new Tolerating(message.ResponseClassifier, expected);
        }
    }

    /// <summary>412 for a write to a call's row that names the ETag it read; 409 for creating a row; else null.</summary>
    internal static int? ExpectedStatus(Request request)
    {
        var path = request.Uri.Path;
        var table = $"/{CallStore.TableName}";
        if (request.Method == RequestMethod.Post && path.EndsWith(table, StringComparison.Ordinal))
        {
            return 409;
        }

        var conditional = request.Headers.TryGetValue("If-Match", out var ifMatch) && ifMatch != "*";
        return conditional && path.Contains(table + "(", StringComparison.Ordinal) ? 412 : null;
    }

    private sealed class Tolerating(ResponseClassifier inner, int expected) : ResponseClassifier
    {
        public override bool IsErrorResponse(HttpMessage message) =>
            message.Response.Status != expected && inner.IsErrorResponse(message);

        public override bool IsRetriableResponse(HttpMessage message) => inner.IsRetriableResponse(message);

        public override bool IsRetriableException(Exception exception) => inner.IsRetriableException(exception);

        public override bool IsRetriable(HttpMessage message, Exception exception) => inner.IsRetriable(message, exception);
    }
}
