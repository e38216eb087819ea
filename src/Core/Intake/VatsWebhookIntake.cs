using Megafon.Core.Configuration;
using Megafon.Core.Contacts;
using Megafon.Core.Diagnostics;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Megafon.Core.Http;

namespace Megafon.Core.Intake;

/// <summary>
/// Decides what to do with one PBX webhook: authenticate, validate, queue. The PBX marks the
/// integration broken on errors, so a valid webhook gets 200 as soon as it is durably queued;
/// if it cannot be queued the PBX gets a 503 and delivers it again.
/// </summary>
public sealed partial class VatsWebhookIntake(
    IOptions<VatsOptions> options,
    IOptions<ProcessingOptions> processing,
    CrmTokenVerifier tokens,
    VatsEventQueues queue,
    ContactLookup contacts,
    BridgeMetrics metrics,
    TimeProvider time,
    ILogger<VatsWebhookIntake> logger)
{
    /// <summary>Accepts a webhook straight from the request, reading no more of the body than the limit.</summary>
    public async Task<ApiResult> AcceptAsync(string? contentType, long? declaredLength, Stream body, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxWebhookBytes;
        var bytes = await CappedBody.ReadAsync(body, declaredLength, limit, cancellationToken).ConfigureAwait(false);
        return bytes is null
            ? Reject(413, "body_too_large", $"A webhook body may be at most {limit} bytes.")
            : await AcceptAsync(contentType, bytes, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiResult> AcceptAsync(string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (WebhookBody.DetectFormat(contentType) is not { } format)
        {
            return Reject(415, "unsupported_media_type", "Send application/x-www-form-urlencoded or application/json in UTF-8.");
        }

        if (!WebhookBody.TryRead(format, body.Span, out var fields, out var bodyError))
        {
            return Reject(400, bodyError!.Code, bodyError.Message);
        }

        // Exactly as sent: a key with a trailing blank or line break is another key.
        if (!tokens.IsValid(fields.Exact(WebhookFields.CrmToken)))
        {
            return Reject(401, "invalid_token", "The crm_token does not match the CRM key configured for this bridge.");
        }

        if (!VatsWebhookParser.TryParse(fields, out var command, out var error))
        {
            return Reject(400, error!.Code, error.Message, error.Field);
        }

        using var scope = logger.BeginCallScope(CallIdOf(command!));
        if (command is VatsContactQuery query)
        {
            // Answered while the phone rings, within Contact__Budget; {} (unknown: the PBX routes
            // as usual) when the lookup is off or ELMA365 cannot tell in time.
            metrics.WebhookAccepted(query.Name);
            return (await contacts.LookupAsync(query.Phone, cancellationToken).ConfigureAwait(false)).ToApiResult();
        }

        // Measured, not assumed: what JSON must escape (control characters, emoji) grows up to sixfold,
        // and a message the queue refuses would be a 503 the PBX retries forever.
        var message = VatsEventQueues.Body(new VatsQueueMessage(fields.WithoutSecrets(), time.GetUtcNow()));
        if (!QueueMessageSize.FitsWebhook(message))
        {
            return Reject(413, "message_too_large", $"The webhook's fields take {message.ToMemory().Length} bytes as a queue message; at most {QueueMessageSize.MaxWebhookJsonBytes} fit. Characters JSON must escape (control characters, emoji) count up to six times.");
        }

        try
        {
            var delay = StageDelay(command!, processing.Value.EndEventDelay);
            await queue.EnqueueAsync(message, delay, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEnqueueFailed(logger, e, command!.Name);
            metrics.WebhookRejected("queue_unavailable");
            return ApiResult.Error(503, "queue_unavailable", "The webhook could not be stored; deliver it again.");
        }

        metrics.WebhookAccepted(command!.Name);
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogAccepted(logger, command.Name, Describe(command));
        }

        return ApiResult.Accepted;
    }

    private ApiResult Reject(int status, string code, string message, string? field = null)
    {
        metrics.WebhookRejected(code);
        LogRejected(logger, status, code, field);
        return ApiResult.Error(status, code, message, field);
    }

    private static TimeSpan? StageDelay(VatsCommand command, TimeSpan endDelay) => command switch
    {
        VatsCallEvent { Type: VatsEventType.Incoming or VatsEventType.Outgoing } => null,
        VatsCallEvent { Type: VatsEventType.Accepted } => endDelay / 2,
        VatsCallEvent => endDelay,

        // After the ends: a group call's CANCELLED legs and its history often come together.
        VatsCallHistory => endDelay + endDelay / 2,
        _ => null,
    };

    private static string? CallIdOf(VatsCommand command) => command switch
    {
        VatsCallEvent e => e.CallId,
        VatsCallHistory h => h.CallId,
        VatsCallRating r => r.CallId,
        VatsContactQuery c => c.CallId,
        _ => null,
    };

    private static string Describe(VatsCommand command) => command switch
    {
        VatsCallEvent e => $"{e.Type} phone {PhoneMask.Mask(e.Phone)}",
        VatsCallHistory h => $"{h.Status} phone {PhoneMask.Mask(h.Phone)} {h.DurationSeconds}s",
        _ => command.Name,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Command} accepted: {Summary}")]
    private static partial void LogAccepted(ILogger logger, string command, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook rejected with {Status} {Reason} (field {Field})")]
    private static partial void LogRejected(ILogger logger, int status, string reason, string? field);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Command} could not be queued; the PBX is told to deliver it again")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string command);
}
