using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Recordings;

/// <summary>
/// Handles one message of the <c>recordings</c> queue: downloads the call's recording from the PBX
/// and streams it into the <c>recordings</c> container, then records the blob in the call's row.
/// A recording not ready yet (404) or a struggling PBX is re-queued with growing delays; what can
/// never succeed is poisoned with the reason. A call already archived downloads nothing.
/// </summary>
public sealed partial class RecordingArchiver(
    CallStore calls,
    RecordingQueues queues,
    RecordingContainer container,
    RecordingLinkPolicy links,
    IHttpClientFactory http,
    RecordingMetrics metrics,
    IOptions<RecordingsOptions> options,
    IOptions<VatsOptions> vats,
    IOptions<ProcessingOptions> processing,
    TimeProvider time,
    ILogger<RecordingArchiver> logger)
{
    public const string HttpClientName = "recordings";

    public const string ApiKeyHeader = "X-API-KEY";

    private const int MaxRedirects = 3;

    private readonly RecordingsOptions _options = options.Value;

    /// <summary>
    /// Processes a queue message. Returns normally when the message is finished with (archived,
    /// already archived, re-queued or poisoned); throws only when the trigger should retry it (storage failing).
    /// </summary>
    public async Task<ArchiveOutcome> HandleAsync(BinaryData body, long dequeueCount, CancellationToken cancellationToken)
    {
        RecordingQueueMessage message;
        try
        {
            message = RecordingQueues.Read(body);
        }
        catch (JsonException e)
        {
            var text = body.ToString();
            var raw = new RecordingQueueMessage("(unreadable)", text.Length <= 1000 ? text : text[..1000], null, time.GetUtcNow());
            return await PoisonAsync(raw, $"The queue message is not a recording request: {e.Message}", cancellationToken).ConfigureAwait(false);
        }

        using var scope = logger.BeginCallScope(message.CallId);
        if (!_options.Archive)
        {
            LogArchivingOff(logger);
            return Done(ArchiveOutcome.Skipped);
        }

        try
        {
            return Done(await ArchiveAsync(message, cancellationToken).ConfigureAwait(false));
        }
        catch (RecordingRefusedException e)
        {
            return await PoisonAsync(message, e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (RecordingUnavailableException e) when (message.Attempt >= _options.MaxAttempts)
        {
            return await PoisonAsync(message, $"Still not archived after {message.Attempt} attempts: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
        catch (RecordingUnavailableException e)
        {
            var next = message with { Attempt = message.Attempt + 1 };
            var delay = RetrySchedule.DelayBefore(next.Attempt, e.RetryAfter, _options.FirstRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
            await queues.EnqueueAsync(next, delay, cancellationToken).ConfigureAwait(false);
            LogRetryScheduled(logger, next.Attempt, _options.MaxAttempts, delay, e.Message);
            return Done(ArchiveOutcome.RetryScheduled);
        }
        catch (Exception e) when (dequeueCount >= processing.Value.MaxDequeueCount && !cancellationToken.IsCancellationRequested)
        {
            return await PoisonAsync(message, $"Archiving failed {dequeueCount} times: {e.GetType().Name}: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ArchiveOutcome> ArchiveAsync(RecordingQueueMessage message, CancellationToken cancellationToken)
    {
        var (state, _) = await calls.GetAsync(message.CallId, cancellationToken).ConfigureAwait(false);
        if (state.RecordingBlob is not null)
        {
            LogAlreadyArchived(logger, state.RecordingBlob);
            return ArchiveOutcome.AlreadyArchived;
        }

        // Checked again here: the queue is not the only way a message gets written, and settings change.
        var link = links.Accept(message.Link) is { } accepted
            ? new Uri(accepted)
            : throw new RecordingRefusedException($"The link on {SafeHost(message.Link)} is not allowed: only https links on the PBX host or Vats__RecordingHosts are archived.");
        var startedAt = message.StartedAt ?? state.StartedAt ?? message.RequestedAt;
        var extension = RecordingBlobName.ExtensionOf(link);
        if (extension is not null && await IsArchivedAsync(message.CallId, RecordingBlobName.For(message.CallId, startedAt, extension), cancellationToken).ConfigureAwait(false))
        {
            return ArchiveOutcome.AlreadyArchived;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DownloadTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await FetchAsync(link, timeout.Token).ConfigureAwait(false);
            var headers = response.Content.Headers;
            var mediaType = headers.ContentType?.MediaType;
            if (!RecordingResponseRules.IsRecordingType(mediaType))
            {
                throw new RecordingRefusedException($"The PBX answered with {mediaType}, not a recording (audio/* or application/octet-stream are archived).");
            }

            if (headers.ContentLength > _options.MaxBytes)
            {
                throw new RecordingRefusedException($"The recording is {headers.ContentLength} bytes, more than Recordings__MaxBytes ({_options.MaxBytes}); not downloaded.");
            }

            var blobName = RecordingBlobName.For(message.CallId, startedAt, extension ?? RecordingBlobName.ExtensionFor(mediaType));
            if (extension is null && await IsArchivedAsync(message.CallId, blobName, cancellationToken).ConfigureAwait(false))
            {
                return ArchiveOutcome.AlreadyArchived;
            }

            var bytes = await UploadAsync(response, blobName, mediaType ?? "application/octet-stream", timeout.Token).ConfigureAwait(false);
            if (bytes is null)
            {
                // Another worker committed the same blob first.
                await RememberAsync(message.CallId, blobName, cancellationToken).ConfigureAwait(false);
                return ArchiveOutcome.AlreadyArchived;
            }

            await RememberAsync(message.CallId, blobName, cancellationToken).ConfigureAwait(false);
            metrics.Archived(bytes.Value);
            LogArchived(logger, blobName, bytes.Value, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return ArchiveOutcome.Archived;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RecordingUnavailableException($"The download took longer than Recordings__DownloadTimeout ({_options.DownloadTimeout}).");
        }
    }

    /// <summary>Streams the body into the blob; the byte count, or null when the blob already existed.</summary>
    private async Task<long?> UploadAsync(HttpResponseMessage response, string blobName, string contentType, CancellationToken cancellationToken)
    {
        var body = new CappedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _options.MaxBytes);
        await using (body.ConfigureAwait(false))
        {
            try
            {
                await container.UploadAsync(blobName, body, contentType, cancellationToken).ConfigureAwait(false);
                return body.BytesRead;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return null;
            }
            catch (Exception e) when (body.TooLarge)
            {
                // Nothing was committed: blocks staged for a blob that never appears expire on their own.
                throw new RecordingRefusedException($"The recording is larger than Recordings__MaxBytes ({_options.MaxBytes} bytes); refused after {body.BytesRead} bytes, nothing kept.", e);
            }
            catch (Exception e) when (body.ReadFailure is { } failure && !cancellationToken.IsCancellationRequested)
            {
                throw new RecordingUnavailableException($"The PBX connection broke after {body.BytesRead} bytes: {failure.Message}", e);
            }
        }
    }

    /// <summary>GETs the recording, asking again with the PBX key after a 401 and following redirects the link policy allows.</summary>
    private async Task<HttpResponseMessage> FetchAsync(Uri link, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(HttpClientName);
        var uri = link;
        var keySent = false;
        for (var redirects = 0; ; )
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (keySent)
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, vats.Value.ApiKey);
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new RecordingUnavailableException($"The PBX could not be reached at {SafeHost(uri.AbsoluteUri)}: {e.Message}", e);
            }

            var status = (int)response.StatusCode;
            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            switch (RecordingResponseRules.Judge(response.StatusCode, keySent, links.IsPbxHost(uri)))
            {
                case RecordingVerdict.Archive:
                    return response;

                case RecordingVerdict.RetryWithKey:
                    response.Dispose();
                    keySent = true;
                    continue;

                case RecordingVerdict.Redirect:
                    var location = response.Headers.Location;
                    response.Dispose();
                    var target = location is null ? null : links.Accept(new Uri(uri, location).AbsoluteUri);
                    if (target is null || ++redirects > MaxRedirects)
                    {
                        throw new RecordingRefusedException(target is null
                            ? $"The PBX redirected ({status}) to {SafeHost(location is null ? null : new Uri(uri, location).AbsoluteUri)}, which is not the PBX host or in Vats__RecordingHosts."
                            : $"The PBX redirected more than {MaxRedirects} times.");
                    }

                    uri = new Uri(target);
                    keySent = false;
                    continue;

                case RecordingVerdict.NotReady:
                    response.Dispose();
                    throw new RecordingUnavailableException("The PBX answered 404: the recording is not ready yet.", retryAfter);

                case RecordingVerdict.Transient:
                    response.Dispose();
                    throw new RecordingUnavailableException($"The PBX answered {status}.", retryAfter);

                default:
                    response.Dispose();
                    throw new RecordingRefusedException(keySent
                        ? $"The PBX answered {status} even with its key (Vats__ApiKey) in {ApiKeyHeader}."
                        : $"The PBX answered {status}.");
            }
        }
    }

    private async Task<bool> IsArchivedAsync(string callId, string blobName, CancellationToken cancellationToken)
    {
        if (!await container.ExistsAsync(blobName, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Archived before, but the row was never told (a crash between the two writes).
        await RememberAsync(callId, blobName, cancellationToken).ConfigureAwait(false);
        LogAlreadyArchived(logger, blobName);
        return true;
    }

    private async Task RememberAsync(string callId, string blobName, CancellationToken cancellationToken) =>
        await calls.UpdateAsync(
            callId,
            s => s.RecordingBlob == blobName ? s : s with { RecordingBlob = blobName, RecordingArchivedAt = time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);

    private async Task<ArchiveOutcome> PoisonAsync(RecordingQueueMessage message, string reason, CancellationToken cancellationToken)
    {
        await queues.PoisonAsync(new PoisonedRecording(message, reason, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogPoisoned(logger, reason);
        return Done(ArchiveOutcome.Poisoned);
    }

    private ArchiveOutcome Done(ArchiveOutcome outcome)
    {
        metrics.Handled(outcome);
        return outcome;
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);

    // Links may carry tokens in their query: logs and reasons name the host only.
    private static string SafeHost(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}" : "(not an address)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived the recording as {Blob}: {Bytes} bytes in {ElapsedMs:F0} ms")]
    private static partial void LogArchived(ILogger logger, string blob, long bytes, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "The recording is archived already as {Blob}; nothing downloaded")]
    private static partial void LogAlreadyArchived(ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording not archived yet; attempt {Attempt} of {MaxAttempts} in {Delay}: {Reason}")]
    private static partial void LogRetryScheduled(ILogger logger, int attempt, int maxAttempts, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording moved to the poison queue: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recordings__Archive is off: the archive request is dropped")]
    private static partial void LogArchivingOff(ILogger logger);
}
