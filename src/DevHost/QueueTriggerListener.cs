using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Megafon.DevHost;

/// <summary>
/// Drains one queue the way the Functions queue trigger does: polls with backoff up to
/// maxPollingInterval, runs up to batchSize + newBatchThreshold messages at once, deletes on
/// success, makes a failed message visible again after visibilityTimeout, and after
/// maxDequeueCount failures moves it to the "-poison" queue.
/// </summary>
internal sealed partial class QueueTriggerListener(
    QueueFunction function,
    QueueServiceClient queues,
    QueueTriggerSettings settings,
    TimeSpan messageLease,
    IServiceProvider services,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPollBackoff = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.GetQueueClient(function.Trigger.QueueName);
        var poison = queues.GetQueueClient(function.Trigger.QueueName + "-poison");
        var slots = settings.BatchSize + settings.NewBatchThreshold;
        using var running = new SemaphoreSlim(slots);
        var idle = TimeSpan.Zero;

        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                await running.WaitAsync(stoppingToken);
                running.Release();
                batch = (await queue.ReceiveMessagesAsync(Math.Min(settings.BatchSize, Math.Max(1, running.CurrentCount)), messageLease, stoppingToken)).Value;
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
            foreach (var message in batch)
            {
                await running.WaitAsync(stoppingToken);
                _ = Task.Run(
                    async () =>
                    {
                        try
                        {
                            await RunAsync(queue, poison, message, stoppingToken);
                        }
                        finally
                        {
                            running.Release();
                        }
                    },
                    CancellationToken.None);
            }
        }

        // Let invocations in flight finish, as the host does on shutdown.
        for (var i = 0; i < slots; i++)
        {
            await running.WaitAsync(CancellationToken.None);
        }
    }

    private async Task RunAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
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

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            try
            {
                if (message.DequeueCount >= settings.MaxDequeueCount)
                {
                    LogPoisoned(logger, error, function.Name, message.DequeueCount);
                    await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                }
                else
                {
                    LogFailed(logger, error, function.Name, message.DequeueCount);
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
                }
            }
            catch (Exception cleanup) when (cleanup is RequestFailedException or HttpRequestException)
            {
                // The message reappears by itself when its invisibility ends, as it would under the host.
                LogPollFailed(logger, cleanup, function.Trigger.QueueName);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} failed (dequeue {DequeueCount}); the message will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on dequeue {DequeueCount}; message moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, long dequeueCount);
}
