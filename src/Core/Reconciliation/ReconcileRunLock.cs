using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// One reconciliation at a time across every instance: a lease on one blob of the app's storage.
/// The Functions host already runs a timer on one instance only, but an admin's
/// <c>POST /api/ops/reconcile</c> can land on any instance at any time, so the lock is the bridge's own.
/// The lease is short and renewed while the run goes on: an instance that dies frees it within a minute.
/// </summary>
public sealed partial class ReconcileRunLock(BlobServiceClient blobs, TimeProvider time, ILogger<ReconcileRunLock> logger)
{
    public const string ContainerName = "megafon-bridge";
    public const string BlobName = "locks/reconcile-call-history";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(15);

    // Renewals may fail for a while (a storage blip); past this the lease may have gone to another run.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(45);

    /// <summary>The lease, or null when another run holds it.</summary>
    public async Task<Held?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(ContainerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(BlobName);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(string.Empty), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists already (412: and is leased right now).
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }

        return new Held(lease, time, logger);
    }

    /// <summary>A held lease: renewed in the background until disposed; <see cref="Lost"/> fires if renewing fails for too long.</summary>
    public sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly TimeProvider _time;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        internal Held(BlobLeaseClient lease, TimeProvider time, ILogger logger)
        {
            _lease = lease;
            _time = time;
            _logger = logger;
            _renewing = RenewAsync();
        }

        /// <summary>Cancelled when the lease can no longer be trusted: the run must stop.</summary>
        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            try
            {
                await _lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Expired or taken already: nothing to release.
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private async Task RenewAsync()
        {
            var renewed = _time.GetTimestamp();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(RenewEvery, _time, _stop.Token).ConfigureAwait(false);
                    await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                    renewed = _time.GetTimestamp();
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
                {
                    if (_time.GetElapsedTime(renewed) > GiveUpAfter || e is RequestFailedException { Status: 409 })
                    {
                        LogLost(_logger, e);
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Lost the reconciliation lock; this run stops so that two runs never overlap")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
