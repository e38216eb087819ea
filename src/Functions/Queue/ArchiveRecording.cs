using Azure.Storage.Queues.Models;
using Megafon.Core.Recordings;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Queue;

/// <summary>Archives a call's recording from the PBX into the <c>recordings</c> blob container.</summary>
public sealed class ArchiveRecording(RecordingArchiver archiver)
{
    [Function(nameof(ArchiveRecording))]
    public Task Run([QueueTrigger(RecordingQueues.Name)] QueueMessage message, CancellationToken cancellationToken) =>
        archiver.HandleAsync(message.Body, message.DequeueCount, cancellationToken);
}
