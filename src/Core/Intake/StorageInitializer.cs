using Megafon.Core.Calls;
using Megafon.Core.Queueing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.Intake;

/// <summary>
/// Creates the queues and the table at start-up so a fresh storage account (or a fresh Azurite)
/// works at once. In Azure the infrastructure creates them too; a failure here is logged, not fatal.
/// </summary>
public sealed partial class StorageInitializer(VatsEventQueues queues, CallStore calls, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queues.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await calls.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the storage queues and table; they must exist already")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
