using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.Recordings;

/// <summary>
/// Creates the <c>recordings</c> queues and container at start-up when archiving is on, so a fresh
/// storage account (or Azurite) works at once. In Azure the infrastructure creates them too.
/// </summary>
public sealed partial class RecordingStorageInitializer(
    RecordingArchive archive,
    RecordingQueues queues,
    RecordingContainer container,
    ILogger<RecordingStorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!archive.Enabled)
        {
            return;
        }

        try
        {
            await queues.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await container.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the recordings queues and container; they must exist already")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
