using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Storage.Queues;
using Megafon.Core.Json;

namespace Megafon.Core.Queueing;

/// <summary>Writes to the <c>vats-events</c> queue and its poison queue.</summary>
/// <remarks>
/// The clients come from DI with Base64 message encoding, which is what the Functions queue
/// trigger expects by default (host.json <c>messageEncoding</c>).
/// </remarks>
public sealed class VatsEventQueues(QueueServiceClient queues)
{
    // Not the default escaping, which writes every non-ASCII and HTML-sensitive character as
    // \uXXXX: 16 KB of Cyrillic or '<' grew to 48–96 KB, over the queue's 64 KiB once in Base64.
    // Queue messages are never embedded in a page, which is all that escaping protects.
    private static readonly BridgeJsonContext Compact = new(new JsonSerializerOptions(BridgeJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private readonly QueueClient _events = queues.GetQueueClient(QueueNames.VatsEvents);
    private readonly QueueClient _poison = queues.GetQueueClient(QueueNames.VatsEventsPoison);

    public QueueClient Events => _events;

    public QueueClient Poison => _poison;

    public Task EnqueueAsync(VatsQueueMessage message, CancellationToken cancellationToken) =>
        EnqueueAsync(message, visibilityDelay: null, cancellationToken);

    public Task EnqueueAsync(VatsQueueMessage message, TimeSpan? visibilityDelay, CancellationToken cancellationToken) =>
        EnqueueAsync(Body(message), visibilityDelay, cancellationToken);

    /// <summary>Queues a body made by <see cref="Body"/>, e.g. one intake measured first.</summary>
    public async Task EnqueueAsync(BinaryData body, TimeSpan? visibilityDelay, CancellationToken cancellationToken) =>
        await _events.SendMessageAsync(body, QueueDelay.WholeSeconds(visibilityDelay), timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);

    /// <summary>The body a message is queued with; <see cref="Read"/> reads it back.</summary>
    public static BinaryData Body(VatsQueueMessage message) =>
        BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(message, Compact.VatsQueueMessage));

    /// <summary>The body a poisoned message is stored with, its reason capped to what the envelope leaves room for.</summary>
    public static BinaryData Body(PoisonedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var capped = message.Reason.Length <= QueueMessageSize.MaxPoisonReasonLength
            ? message
            : message with { Reason = string.Concat(message.Reason.AsSpan(0, QueueMessageSize.MaxPoisonReasonLength), "…") };
        return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(capped, Compact.PoisonedMessage));
    }

    public async Task PoisonAsync(PoisonedMessage message, CancellationToken cancellationToken) =>
        await _poison.SendMessageAsync(Body(message), visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Reads a message body. The Functions host hands the trigger the decoded text; a body that is
    /// still Base64 (a message written by a tool with other encoding settings) is decoded here.
    /// </summary>
    public static VatsQueueMessage Read(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = body.ToMemory();
        if (bytes.Length > 0 && bytes.Span[0] != (byte)'{' && TryDecodeBase64(bytes.Span, out var decoded))
        {
            bytes = decoded;
        }

        return JsonSerializer.Deserialize(bytes.Span, BridgeJsonContext.Default.VatsQueueMessage)
            ?? throw new JsonException("The queue message is empty.");
    }

    private static bool TryDecodeBase64(ReadOnlySpan<byte> text, out byte[] decoded)
    {
        decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (Base64.DecodeFromUtf8(text, decoded, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        decoded = decoded[..written];
        return true;
    }

    /// <summary>Creates both queues; cheap when they exist, so the app heals a fresh storage account.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _events.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
