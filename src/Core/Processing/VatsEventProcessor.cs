using System.Text.Json;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Queueing;
using Megafon.Core.Recordings;
using Megafon.Core.Vats.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Megafon.Core.Processing;

/// <summary>
/// Handles one message of the <c>vats-events</c> queue: decides against the call's stored state,
/// pushes to ELMA365, records what was delivered. Retries ELMA365 outages with growing delays
/// by re-queuing, and poisons with a reason what can never succeed.
/// </summary>
public sealed partial class VatsEventProcessor(
    CallStore calls,
    VatsEventQueues queue,
    Elma365ModuleClient elma365,
    RecordingLinkPolicy links,
    RecordingArchive recordings,
    BridgeMetrics metrics,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<VatsEventProcessor> logger)
{
    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(1);

    // Another message of the call is usually mid-push for a few milliseconds: wait for it here
    // rather than round-trip through the queue, which would let later messages overtake this one.
    private static readonly TimeSpan BusyWaitInProcess = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BusyPollInterval = TimeSpan.FromMilliseconds(50);

    // Once ELMA365 has a message, recording that deserves patience: giving up here makes the
    // retry push it a second time. Rides out a storage blip of about half a minute.
    private static readonly ResiliencePipeline RecordPatiently = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // Azure.Core throws AggregateException once its own retries are spent.
            ShouldHandle = new PredicateBuilder()
                .Handle<Azure.RequestFailedException>(e => e.Status is 0 or 408 or >= 500)
                .Handle<HttpRequestException>()
                .Handle<AggregateException>(),
            MaxRetryAttempts = 8,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(5),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    private readonly ProcessingOptions _options = options.Value;
    private readonly CallClaimRules _claims = new(options.Value, elma365.Budget);

    /// <summary>
    /// Processes a queue message. Returns normally when the message is finished with (delivered,
    /// dropped, re-queued or poisoned); throws only when the trigger should retry it, and then the
    /// message keeps its claim on the call: the host's retry comes back to it, and the call's later
    /// messages must not overtake it meanwhile (cancellation at shutdown, storage failing).
    /// </summary>
    public async Task<ProcessingOutcome> HandleAsync(BinaryData body, long dequeueCount, CancellationToken cancellationToken)
    {
        VatsQueueMessage message;
        try
        {
            message = VatsEventQueues.Read(body);
        }
        catch (JsonException e)
        {
            var raw = new VatsQueueMessage(new Dictionary<string, string> { ["raw"] = body.ToString() }, time.GetUtcNow());
            return await PoisonAsync(raw, null, null, $"The queue message is not a bridge message: {e.Message}", cancellationToken).ConfigureAwait(false);
        }

        if (!VatsWebhookParser.TryParse(new WebhookFields(message.Fields), out var command, out var error))
        {
            return await PoisonAsync(message, null, null, $"The webhook no longer parses: {error!.Message}", cancellationToken).ConfigureAwait(false);
        }

        var callId = CallIdOf(command!);
        var key = CallPolicy.DedupeKey(command!);
        using var scope = logger.BeginCallScope(callId);
        try
        {
            var outcome = await ProcessAsync(command!, callId, message, cancellationToken).ConfigureAwait(false);
            metrics.Processed(outcome.ToString());
            return outcome;
        }
        catch (Elma365DeliveryException e) when (!e.IsTransient)
        {
            return await PoisonAsync(message, callId, key, $"ELMA365 refused the message: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
        catch (Elma365DeliveryException e) when (message.Attempt >= _options.MaxAttempts)
        {
            return await PoisonAsync(message, callId, key, $"ELMA365 still failing after {message.Attempt} attempts: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
        catch (Elma365DeliveryException e)
        {
            // The claim stays: the call's later messages wait for this retry, up to the lease.
            var next = message with { Attempt = message.Attempt + 1 };
            var delay = RetrySchedule.DelayBefore(next.Attempt, e.RetryAfter, _options, Random.Shared.NextDouble());
            await queue.EnqueueAsync(next, delay, cancellationToken).ConfigureAwait(false);
            LogRetryScheduled(logger, next.Attempt, _options.MaxAttempts, delay, e.Message);
            metrics.Processed(nameof(ProcessingOutcome.RetryScheduled));
            return ProcessingOutcome.RetryScheduled;
        }
        catch (CallBusyException)
        {
            await queue.EnqueueAsync(message, BusyRetryDelay, cancellationToken).ConfigureAwait(false);
            metrics.Processed(nameof(ProcessingOutcome.Deferred));
            return ProcessingOutcome.Deferred;
        }
        catch (Exception e) when (dequeueCount >= _options.MaxDequeueCount && !cancellationToken.IsCancellationRequested)
        {
            return await PoisonAsync(message, callId, key, $"Processing failed {dequeueCount} times: {e.GetType().Name}: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ProcessingOutcome> ProcessAsync(VatsCommand command, string callId, VatsQueueMessage message, CancellationToken cancellationToken)
    {
        var link = command is VatsCallHistory history ? links.Accept(history.Link) : null;
        if (command is VatsCallHistory { Link: not null } h && link is null)
        {
            LogLinkRefused(logger, SafeHost(h.Link));
        }

        var waitedSince = time.GetTimestamp();
        while (true)
        {
            var (state, etag) = await calls.GetAsync(callId, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var decision = CallPolicy.DecideAt(state, command, link, message.ReceivedAt, now, _options.PopupLifetime);
            switch (decision)
            {
                case CallDecision.Duplicate d:
                    // A history repeated after a crash between storing its link and asking for the archive.
                    await recordings.RequestAsync(callId, state, link, cancellationToken).ConfigureAwait(false);
                    LogDropped(logger, d.Key, "it was delivered already");
                    return ProcessingOutcome.Duplicate;

                case CallDecision.Stale s:
                    // Accounted for in the call's row (Dropped), with what the webhook still tells about the call.
                    var dropped = (s.NewState ?? state).WithoutClaimOf(message.Id).WithDropped(s.Key);
                    var unchanged = s.NewState is null && state.Dropped.Contains(s.Key) && !state.Waiting.ContainsKey(s.Key) && state.PendingOwner != message.Id;
                    if (!unchanged && await calls.TrySaveAsync(callId, dropped, etag, cancellationToken).ConfigureAwait(false) is null)
                    {
                        continue;
                    }

                    LogDropped(logger, s.Key, s.Reason);
                    return ProcessingOutcome.Stale;

                case CallDecision.Record r:
                    if (await calls.TrySaveAsync(callId, r.NewState, etag, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        await recordings.RequestAsync(callId, r.NewState, link, cancellationToken).ConfigureAwait(false);
                        return ProcessingOutcome.Recorded;
                    }

                    continue;

                case CallDecision.Deliver d:
                    var mine = state.Pending is not null && state.PendingOwner == message.Id;
                    if (!mine && (_claims.IsHeldByAnother(state, message.Id, now) || _claims.HasEarlierWaiter(state, d.Key, now)
                                  || CallPolicy.AwaitsRing(state, command, message.ReceivedAt, now, _options.RingWait)))
                    {
                        // Take (or keep) a place in the call's queue first: when the call frees up (or
                        // rings), the earliest stage waiting goes first, whichever of them polls first.
                        var placed = _claims.HoldsPlace(state, d.Key, now)
                            || await calls.TrySaveAsync(callId, state.WithWaiting(d.Key, now), etag, cancellationToken).ConfigureAwait(false) is not null;
                        if (time.GetElapsedTime(waitedSince) > BusyWaitInProcess)
                        {
                            throw new CallBusyException();
                        }

                        if (placed)
                        {
                            await Task.Delay(BusyPollInterval, time, cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    // Claim first: the decision (e.g. "the call ended") is visible to every other
                    // worker before ELMA365 sees the push, which is what keeps pushes in order. Every
                    // claim, a retry's too, starts a fresh lease: an old claim time would let a
                    // waiting copy judge the lease expired and push alongside. Retries further apart
                    // than the lease still free the call for its later messages. The lease is timed
                    // on this instance's own clock from before the write.
                    var claimedAt = time.GetTimestamp();
                    var claim = d.NewState.WithClaim(d.Key, message.Id, now);
                    if (await calls.TrySaveAsync(callId, claim, etag, cancellationToken).ConfigureAwait(false) is null)
                    {
                        continue;
                    }

                    // The link is stored now: archive it whatever ELMA365 does with the push.
                    await recordings.RequestAsync(callId, claim, link, cancellationToken).ConfigureAwait(false);

                    return await DeliverAsync(callId, d, message, claimedAt, cancellationToken).ConfigureAwait(false);

                default:
                    throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}.");
            }
        }
    }

    private async Task<ProcessingOutcome> DeliverAsync(string callId, CallDecision.Deliver d, VatsQueueMessage message, long claimedAt, CancellationToken cancellationToken)
    {
        // The transfer happened whatever ELMA365 says: link the continuing call before the push.
        if (d.Message is Elma365CallEvent { SecondCallId: { } second })
        {
            await calls.UpdateAsync(second, s => s.TransferredFrom == callId ? s : s with { TransferredFrom = callId }, cancellationToken).ConfigureAwait(false);
        }

        // Right before sending: the whole push must end while the call is still ours, and a popup
        // must still be in time. Renew the claim when the writes since it took too long.
        if (!_claims.HasRoomToPush(time.GetElapsedTime(claimedAt)))
        {
            await RenewClaimAsync(callId, d.Key, message.Id, cancellationToken).ConfigureAwait(false);
        }

        if (CallPolicy.DropIfLate(d, message.ReceivedAt, time.GetUtcNow(), _options.PopupLifetime) is CallDecision.Stale late)
        {
            await calls.UpdateAsync(callId, s => s.WithoutClaimOf(message.Id).WithDropped(late.Key), CancellationToken.None).ConfigureAwait(false);
            LogDropped(logger, late.Key, late.Reason);
            return ProcessingOutcome.Stale;
        }

        // A failure leaves the claim in place: a message the queue retries keeps its call until then
        // (up to the lease), one the host retries (shutdown, storage) likewise, and a poisoned one
        // is let go by PoisonAsync.
        await elma365.PushAsync(recordings.ForElma365(d.Message), message.ReceivedAt, cancellationToken).ConfigureAwait(false);

        // A crash here, after the push and before this write, leaves the claim in place: the
        // retry pushes again, with the same messageId. ELMA365 may then see a message twice, but never misses one.
        await RecordPatiently.ExecuteAsync(
            async token => await calls.UpdateAsync(callId, s => s.WithDelivered(d.Key), token).ConfigureAwait(false),
            CancellationToken.None).ConfigureAwait(false);

        var latency = time.GetUtcNow() - message.ReceivedAt;
        metrics.Delivered(latency);
        LogDelivered(logger, d.Key, latency.TotalMilliseconds);
        return ProcessingOutcome.Delivered;
    }

    /// <summary>Starts the lease afresh if the call is still this message's; otherwise it must not push, and decides again later.</summary>
    private async Task RenewClaimAsync(string callId, string key, string owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (state, etag) = await calls.GetAsync(callId, cancellationToken).ConfigureAwait(false);
            if (state.Pending != key || state.PendingOwner != owner)
            {
                throw new CallBusyException("Another message took the call while this one prepared its push.");
            }

            var renewed = state.WithClaim(key, owner, time.GetUtcNow());
            var renewedAt = time.GetTimestamp();
            if (await calls.TrySaveAsync(callId, renewed, etag, cancellationToken).ConfigureAwait(false) is not null)
            {
                if (!_claims.HasRoomToPush(time.GetElapsedTime(renewedAt)))
                {
                    throw new CallBusyException("Storage is too slow to leave room for a push within the call's lease.");
                }

                return;
            }
        }
    }

    private async Task<ProcessingOutcome> PoisonAsync(VatsQueueMessage message, string? callId, string? key, string reason, CancellationToken cancellationToken)
    {
        await queue.PoisonAsync(new PoisonedMessage(message, reason, time.GetUtcNow(), callId), cancellationToken).ConfigureAwait(false);
        metrics.Poisoned(reason.Split(':')[0]);
        metrics.Processed(nameof(ProcessingOutcome.Poisoned));
        LogPoisoned(logger, reason);
        if (callId is not null && key is not null)
        {
            await ReleaseAsync(callId, key, message.Id).ConfigureAwait(false);
        }

        return ProcessingOutcome.Poisoned;
    }

    // This message is done with: let the call's other messages go on. Best effort, since the poison
    // entry is written already; a claim left behind runs out with its lease.
    private async Task ReleaseAsync(string callId, string key, string owner)
    {
        try
        {
            await calls.UpdateAsync(callId, s => s.PendingOwner == owner || s.Waiting.ContainsKey(key) ? s.WithoutClaimOf(owner).WithoutWaiting(key) : s, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            LogReleaseFailed(logger, e);
        }
    }

    private static string CallIdOf(VatsCommand command) => command switch
    {
        VatsCallEvent e => e.CallId,
        VatsCallHistory h => h.CallId,
        VatsCallRating r => r.CallId,
        _ => throw new ArgumentException($"'{command.Name}' is never queued.", nameof(command)),
    };

    private static string SafeHost(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}" : "(not an address)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Key} to ELMA365 {LatencyMs:F0} ms after the webhook")]
    private static partial void LogDelivered(ILogger logger, string key, double latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Key}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ELMA365 did not take the message; attempt {Attempt} of {MaxAttempts} in {Delay}: {Reason}")]
    private static partial void LogRetryScheduled(ILogger logger, int attempt, int maxAttempts, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Moved to the poison queue: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The poisoned message's call could not be freed; its claim runs out with the lease")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording link on {Host} not passed on: only https links on the PBX host or Vats__RecordingHosts are")]
    private static partial void LogLinkRefused(ILogger logger, string host);
}
