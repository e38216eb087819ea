using System.Text.Json;
using Azure.Storage.Queues;
using Megafon.Core.Queueing;

namespace Megafon.Core.Recordings;

/// <summary>The <c>recordings</c> queue and its poison queue (Base64, what the queue trigger reads).</summary>
public sealed class RecordingQueues(QueueServiceClient queues)
{
    public const string Name = "recordings";

    public const string PoisonName = Name + "-poison";

    // A poisoned message's reason is for an admin to read, not a dump.
    private const int MaxReasonLength = 500;

    public QueueClient Requests { get; } = queues.GetQueueClient(Name);

    public QueueClient Poison { get; } = queues.GetQueueClient(PoisonName);

    public async Task EnqueueAsync(RecordingQueueMessage message, TimeSpan? visibilityDelay, CancellationToken cancellationToken) =>
        await Requests.SendMessageAsync(Body(message), QueueDelay.WholeSeconds(visibilityDelay), timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);

    public async Task PoisonAsync(PoisonedRecording poisoned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poisoned);
        var capped = poisoned.Reason.Length <= MaxReasonLength ? poisoned : poisoned with { Reason = string.Concat(poisoned.Reason.AsSpan(0, MaxReasonLength), "…") };
        var body = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(capped, RecordingsJsonContext.Default.PoisonedRecording));
        await Poison.SendMessageAsync(body, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
    }

    public static BinaryData Body(RecordingQueueMessage message) =>
        BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(message, RecordingsJsonContext.Default.RecordingQueueMessage));

    /// <summary>Reads a message body as the trigger hands it over (already decoded from Base64).</summary>
    public static RecordingQueueMessage Read(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var message = JsonSerializer.Deserialize(body.ToMemory().Span, RecordingsJsonContext.Default.RecordingQueueMessage)
            ?? throw new JsonException("The queue message is empty.");
        return string.IsNullOrEmpty(message.CallId) || string.IsNullOrEmpty(message.Link)
            ? throw new JsonException("The queue message has no callId or link.")
            : message;
    }

    public static PoisonedRecording ReadPoisoned(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return JsonSerializer.Deserialize(body.ToMemory().Span, RecordingsJsonContext.Default.PoisonedRecording)
            ?? throw new JsonException("The poisoned message is empty.");
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Requests.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
