using Azure.Storage.Queues.Models;
using Megafon.Core.Processing;
using Megafon.Core.Queueing;
using Microsoft.Azure.Functions.Worker;

namespace Megafon.Functions.Queue;

/// <summary>Takes accepted webhooks off the queue and delivers them to ELMA365.</summary>
public sealed class ProcessVatsEvent(VatsEventProcessor processor)
{
    [Function(nameof(ProcessVatsEvent))]
    public Task Run([QueueTrigger(QueueNames.VatsEvents)] QueueMessage message, CancellationToken cancellationToken) =>
        processor.HandleAsync(message.Body, message.DequeueCount, cancellationToken);
}
