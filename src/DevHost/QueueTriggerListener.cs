using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Megafon.Core.Queueing;

namespace Megafon.DevHost;

/// <summary>
/// Drains one queue the way the Functions host's queue listener does: receives batchSize
/// messages, runs them at once, and receives the next batch as soon as no more than
/// newBatchThreshold still run (so at most batchSize + newBatchThreshold); after an empty receive
/// it waits, doubling up to maxPollingInterval. It deletes a message on success, makes a failed
/// one visible again after visibilityTimeout, and after maxDequeueCount failures moves it to the
/// "-poison" queue; a message that is not Base64 goes there at once, untouched.
/// </summary>
internal sealed partial class QueueTriggerListener(
    QueueFunction function,
    UndecodedQueues queues,
    QueueTriggerSettings settings,
    TimeSpan messageLease,
    IServiceProvider services,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPollBackoff = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Undecoded clients: the Base64 ones throw on a body that is not Base64, losing the whole batch for the lease.
        var queue = queues.Get(function.Trigger.QueueName);
        var poison = queues.Get(function.Trigger.QueueName + "-poison");
        var processing = new List<Task>();
        var idle = TimeSpan.Zero;

        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, messageLease, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
            {
                // Storage unreachable (Azurite restarting): the host logs and keeps polling.
                LogPollFailed(logger, e, function.Trigger.QueueName);
                batch = [];
            }

            if (batch.Length == 0)
            {
                idle = idle == TimeSpan.Zero ? FirstPollBackoff : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                await Delay(idle, stoppingToken);
                continue;
            }

            idle = TimeSpan.Zero;
            processing.AddRange(batch.Select(message => Task.Run(() => RunAsync(queue, poison, message, stoppingToken), CancellationToken.None)));
            while (processing.Count > settings.NewBatchThreshold)
            {
                processing.Remove(await Task.WhenAny(processing));
            }
        }

        // Let invocations in flight finish, as the host does on shutdown.
        await Task.WhenAll(processing);
    }

    private async Task RunAsync(QueueClient queue, QueueClient poison, QueueMessage stored, CancellationToken stoppingToken)
    {
        LogTriggerDetails(logger, stored.MessageId, stored.DequeueCount, stored.InsertedOn);
        if (UndecodedQueues.TryDecode(stored.Body) is not { } body)
        {
            await MoveToPoisonAsync(queue, poison, stored, () => LogNotBase64(logger, stored.MessageId, poison.Name));
            return;
        }

        var message = QueuesModelFactory.QueueMessage(stored.MessageId, stored.PopReceipt, body, stored.DequeueCount, stored.NextVisibleOn, stored.InsertedOn, stored.ExpiresOn);
        try
        {
            await using (var scope = services.CreateAsyncScope())
            {
                await FunctionInvoker.InvokeAsync(scope.ServiceProvider, function.Method, parameter => parameter.ParameterType switch
                {
                    var t when t == typeof(QueueMessage) => message,
                    var t when t == typeof(BinaryData) => message.Body,
                    var t when t == typeof(string) => message.Body.ToString(),
                    var t when t == typeof(CancellationToken) => stoppingToken,
                    var t => throw new NotSupportedException($"The DevHost cannot bind {t.Name} for {function.Name}."),
                });
            }
        }
        catch (Exception e)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            if (stored.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, stored, () => LogPoisoned(logger, error, function.Name, stored.DequeueCount, poison.Name));
                return;
            }

            LogFailed(logger, error, function.Name, stored.DequeueCount);
            await ReleaseAsync(queue, stored, settings.VisibilityTimeout);
            return;
        }

        try
        {
            await queue.DeleteMessageAsync(stored.MessageId, stored.PopReceipt, CancellationToken.None);
        }
        catch (Exception cleanup) when (cleanup is RequestFailedException or HttpRequestException or AggregateException)
        {
            // Its lease ran out and another receive has it, or storage is away: it is delivered again, as under the host.
            LogPollFailed(logger, cleanup, function.Trigger.QueueName);
        }
    }

    // As the host does: the stored text is copied as it is, so the poison queue holds what the queue held.
    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage stored, Action log)
    {
        try
        {
            log();
            await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            await poison.SendMessageAsync(stored.Body, cancellationToken: CancellationToken.None);
            await queue.DeleteMessageAsync(stored.MessageId, stored.PopReceipt, CancellationToken.None);
        }
        catch (Exception cleanup) when (cleanup is RequestFailedException or HttpRequestException or AggregateException)
        {
            // The message reappears by itself when its lease ends, as it would under the host.
            LogPollFailed(logger, cleanup, function.Trigger.QueueName);
        }
    }

    private async Task ReleaseAsync(QueueClient queue, QueueMessage stored, TimeSpan visibilityTimeout)
    {
        try
        {
            await queue.UpdateMessageAsync(stored.MessageId, stored.PopReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: CancellationToken.None);
        }
        catch (Exception cleanup) when (cleanup is RequestFailedException or HttpRequestException or AggregateException)
        {
            LogPollFailed(logger, cleanup, function.Trigger.QueueName);
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    // The Functions host logs this line for every queue-triggered invocation; tests read it on both hosts.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Trigger Details: MessageId: {MessageId}, DequeueCount: {DequeueCount}, InsertedOn: {InsertedOn}")]
    private static partial void LogTriggerDetails(ILogger logger, string messageId, long dequeueCount, DateTimeOffset? insertedOn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} failed (dequeue {DequeueCount}); the message will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on dequeue {DequeueCount}; message moved to queue '{Poison}'")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, long dequeueCount, string poison);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message decoding has failed! Check MessageEncoding settings. MessageId={MessageId}; moved to queue '{Poison}'")]
    private static partial void LogNotBase64(ILogger logger, string messageId, string poison);
}
