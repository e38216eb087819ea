using System.Text.Json;
using Azure.Storage.Queues;
using Megafon.Core.Diagnostics;
using Megafon.Core.Http;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.Operations;

/// <summary>
/// Lists and replays the poison queue. A replay puts each message back on <c>vats-events</c> as
/// a first attempt and then deletes it from poison; the processor's dedupe makes replaying a
/// message that did get through (or replaying twice after a crash) harmless. The poison queue is
/// read undecoded: the Functions host moves a message it cannot Base64-decode there as it is.
/// </summary>
public sealed partial class PoisonAdmin(VatsEventQueues queues, UndecodedQueues undecoded, BridgeMetrics metrics, TimeProvider time, ILogger<PoisonAdmin> logger)
{
    // Peek returns at most 32 messages: the listing shows those and the total.
    private const int PeekLimit = 32;
    private static readonly TimeSpan HiddenWhileReplaying = TimeSpan.FromMinutes(2);
    private readonly QueueClient _poison = undecoded.Get(QueueNames.VatsEventsPoison);

    public async Task<ApiResult> ListAsync(string? callId, CancellationToken cancellationToken)
    {
        var total = (await _poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        var peeked = (await _poison.PeekMessagesAsync(PeekLimit, cancellationToken).ConfigureAwait(false)).Value;
        var items = peeked
            .Select(m => Read(m.Body))
            .Where(p => callId is null || p.CallId == callId)
            .Select(p => new Dictionary<string, object?>
            {
                ["callId"] = p.CallId,
                ["cmd"] = p.Message.Fields.GetValueOrDefault("cmd"),
                ["type"] = p.Message.Fields.GetValueOrDefault("type"),
                ["phone"] = PhoneMask.Mask(p.Message.Fields.GetValueOrDefault("phone")),
                ["attempts"] = p.Message.Attempt,
                ["receivedAt"] = p.Message.ReceivedAt,
                ["poisonedAt"] = p.PoisonedAt,
                ["reason"] = p.Reason,
            })
            .ToList();
        return ApiResult.Ok(new Dictionary<string, object> { ["total"] = total, ["shown"] = items.Count, ["messages"] = items });
    }

    public async Task<ApiResult> ReplayAsync(string? callId, CancellationToken cancellationToken)
    {
        var replayed = 0;
        var skipped = new HashSet<string>();
        while (true)
        {
            var batch = (await _poison.ReceiveMessagesAsync(PeekLimit, HiddenWhileReplaying, cancellationToken).ConfigureAwait(false)).Value;
            var fresh = batch.Where(m => !skipped.Contains(m.MessageId)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var message in fresh)
            {
                var poisoned = Read(message.Body);
                if (callId is not null && poisoned.CallId != callId)
                {
                    // Not asked for: make it visible again at once.
                    skipped.Add(message.MessageId);
                    await _poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await queues.EnqueueAsync(poisoned.Message with { Attempt = 1, ReceivedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                await _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                replayed++;
            }
        }

        metrics.Replayed(replayed);
        LogReplayed(logger, replayed, callId is null ? "(all)" : LogText.Safe(callId));
        var remaining = (await _poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        return ApiResult.Ok(new Dictionary<string, object> { ["replayed"] = replayed, ["remaining"] = remaining });
    }

    /// <summary>
    /// A poisoned message as the processor wrote it, or one the Functions host moved there itself:
    /// a bare queue message, after maxDequeueCount failures the processor could not record a
    /// reason for, or as written when it was not Base64 (then not even tried).
    /// </summary>
    internal static PoisonedMessage Read(BinaryData stored)
    {
        var body = UndecodedQueues.TryDecode(stored) ?? stored;
        try
        {
            if (JsonSerializer.Deserialize(body, BridgeJsonContext.Default.PoisonedMessage) is { Message: not null } poisoned)
            {
                return poisoned;
            }
        }
        catch (JsonException)
        {
            // Not our envelope: try the bare message below.
        }

        var bare = VatsEventQueues.Read(body);
        return new PoisonedMessage(bare, "Moved to poison by the Functions host (it failed maxDequeueCount times, or was not Base64); no reason was recorded.", bare.ReceivedAt, bare.Fields.GetValueOrDefault("callid"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed {Count} poisoned messages for {CallId}")]
    private static partial void LogReplayed(ILogger logger, int count, string callId);
}
