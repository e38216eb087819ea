using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Queueing;
using Megafon.Core.Recordings;

namespace Megafon.Core.Operations;

/// <summary>
/// <c>recordings-poison</c>: recordings the archiver gave up on (too large, not audio, the PBX
/// refusing, still missing after its retries). A replay puts a request back as a first attempt,
/// unless the call's recording is archived already or archiving is off.
/// </summary>
internal sealed class RecordingsPoison(RecordingQueues queues, UndecodedQueues undecoded, CallStore calls, RecordingArchive archive) : IPoisonSource
{
    public string Name => RecordingQueues.Name;

    public QueueClient Poison { get; } = undecoded.Get(RecordingQueues.PoisonName);

    public PoisonEntry Read(BinaryData stored)
    {
        var poisoned = ReadPoisoned(stored);
        var message = poisoned.Message;
        return new PoisonEntry(message.CallId, new Dictionary<string, object?>
        {
            ["callId"] = message.CallId,
            ["link"] = Uri.TryCreate(message.Link, UriKind.Absolute, out var link) ? link.GetLeftPart(UriPartial.Authority) : "(not an address)",
            ["attempts"] = message.Attempt,
            ["requestedAt"] = message.RequestedAt,
            ["poisonedAt"] = poisoned.PoisonedAt,
            ["reason"] = poisoned.Reason,
        }, poisoned);
    }

    public async Task<ReplayVerdict> JudgeAsync(PoisonEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!archive.Enabled)
        {
            return new ReplayVerdict.Drop("archiving is off (Recordings__Archive=false)");
        }

        var (state, _) = await calls.GetAsync(((PoisonedRecording)entry.Payload).Message.CallId, cancellationToken).ConfigureAwait(false);
        return state.RecordingBlob is { } blob ? new ReplayVerdict.Drop($"the recording is archived already as {blob}") : ReplayVerdict.Replay;
    }

    public Task PutBackAsync(PoisonEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return queues.EnqueueAsync(((PoisonedRecording)entry.Payload).Message with { Attempt = 1 }, visibilityDelay: null, cancellationToken);
    }

    // The row says whether a recording is archived; a dropped request leaves nothing else to record.
    public Task AccountDropAsync(PoisonEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>As the archiver wrote it, or a bare request the Functions host moved there after maxDequeueCount failures.</summary>
    internal static PoisonedRecording ReadPoisoned(BinaryData stored) => PoisonBody.Read(
        stored,
        body => RecordingQueues.ReadPoisoned(body) is { Message: not null } poisoned ? poisoned : null,
        body =>
        {
            var bare = RecordingQueues.Read(body);
            return new PoisonedRecording(bare, PoisonBody.MovedByHost, bare.RequestedAt);
        });
}
