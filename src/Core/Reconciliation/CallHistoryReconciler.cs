using System.Collections.Concurrent;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Http;
using Megafon.Core.Processing;
using Megafon.Core.Queueing;
using Megafon.Core.Telephony;
using Megafon.Core.Vats.Api;
using Megafon.Core.Vats.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// Fills what the PBX's own webhooks lost: reads the PBX's history for a window and, for each
/// call the <c>calls</c> table says ELMA365 has no record of (or has one without the link the PBX
/// now has), queues the <c>cmd=history</c> webhook the PBX would have sent. From the queue on it is
/// a webhook like any other: the same parser, translation, dedupe, ordering and retries, and the
/// same single place where a recording link is accepted. A call that is complete costs one table
/// read: no write, no ELMA365 call.
/// </summary>
public sealed partial class CallHistoryReconciler(
    VatsApiClient vats,
    CallStore calls,
    ReconcileLedger ledger,
    VatsEventQueues queue,
    RecordingLinkPolicy links,
    ReconcileRunLock runLock,
    ReconcileMetrics metrics,
    IOptions<ReconcileOptions> options,
    IOptions<ProcessingOptions> processing,
    TimeProvider time,
    ILogger<CallHistoryReconciler> logger)
{
    // Table reads in flight at once: enough to read thousands of calls in seconds, gentle on storage.
    private const int Parallelism = 16;

    // A queued message may wait behind a backlog before its first try; on top of the processor's retries.
    private static readonly TimeSpan QueueMargin = TimeSpan.FromMinutes(10);

    /// <summary>The timer's run: the last <c>Reconcile__Window</c> up to now.</summary>
    public Task<ReconcileOutcome> RunScheduledAsync(CancellationToken cancellationToken) =>
        RunAsync(ReconcileWindow.Scheduled(time.GetUtcNow(), options.Value.Window), cancellationToken);

    public async Task<ReconcileOutcome> RunAsync(ReconcileWindow window, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ReconcileRunLock.Held? held;
        try
        {
            held = await runLock.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            return Failed(window, started, new ReconcileFailure("storage_unavailable", $"The run lock could not be taken in blob storage ({e.Message}); check AzureWebJobsStorage.", 503), e);
        }

        if (held is null)
        {
            LogSkipped(logger, window.From, window.To);
            metrics.Skipped();
            return ReconcileOutcome.Busy;
        }

        await using (held.ConfigureAwait(false))
        {
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
            try
            {
                // Nothing is written before the PBX has answered in full: a PBX that is down, slow or
                // answers garbage leaves no trace but the log line and the metric.
                var history = await vats.GetHistoryAsync(window.From, window.To, options.Value.MaxCalls, run.Token).ConfigureAwait(false);
                var report = await ReconcileAsync(window, history, run.Token).ConfigureAwait(false);
                var took = time.GetElapsedTime(started);
                LogCompleted(logger, report.Calls, window.From, window.To, report[ReconcileAction.Deliver], report[ReconcileAction.FillLink],
                    report[ReconcileAction.Complete], report[ReconcileAction.InFlight], report[ReconcileAction.Recent],
                    report[ReconcileAction.Deferred], report[ReconcileAction.Unreadable], took.TotalMilliseconds);
                if (report.Truncated)
                {
                    LogTruncated(logger, options.Value.MaxCalls);
                }

                metrics.Completed(report, took);
                return new ReconcileOutcome(report, null);
            }
            catch (VatsApiException e)
            {
                var answer = e.ToApiResult();
                var code = answer.Body is IReadOnlyDictionary<string, string> body ? body["error"] : "pbx_unavailable";
                return Failed(window, started, new ReconcileFailure(code, $"The PBX did not give its call history: {e.Message}", answer.StatusCode), e);
            }
            catch (OperationCanceledException e) when (held.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Failed(window, started, new ReconcileFailure("lock_lost", "The run lost its lock in blob storage part-way; what it queued stays queued.", 503), e);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                return Failed(window, started, new ReconcileFailure("storage_unavailable", $"Storage failed part-way ({e.Message}); what was queued stays queued.", 503), e);
            }
        }
    }

    private async Task<ReconcileReport> ReconcileAsync(ReconcileWindow window, VatsHistory history, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var inFlightFor = RetrySchedule.WorstCaseDelay(processing.Value) + QueueMargin;
        var counts = Enum.GetValues<ReconcileAction>().ToDictionary(a => a, _ => 0);
        counts[ReconcileAction.Unreadable] = history.UnreadableLines.Count;
        foreach (var line in history.UnreadableLines.Take(5))
        {
            LogUnreadableLine(logger, line);
        }

        var planned = new ConcurrentBag<(VatsHistoryCall Call, ReconcileAction Action)>();
        await Parallel.ForEachAsync(
            history.Calls,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (call, token) => planned.Add((call, await PlanAsync(call, now, inFlightFor, token).ConfigureAwait(false)))).ConfigureAwait(false);

        foreach (var (_, action) in planned)
        {
            counts[action]++;
        }

        // Oldest first: they are the nearest to leaving the window. Over budget waits for the next run.
        var deliveries = planned.Where(p => p.Action == ReconcileAction.Deliver).OrderBy(p => p.Call.Start).Select(p => p.Call).ToList();
        var budget = deliveries.Take(settings.MaxDeliveries).ToList();
        counts[ReconcileAction.Deferred] = deliveries.Count - budget.Count;
        counts[ReconcileAction.Deliver] = budget.Count;
        var fills = planned.Where(p => p.Action == ReconcileAction.FillLink).Select(p => p.Call).ToList();

        var extensions = budget.Count > 0 ? await ExtensionsByLoginAsync(cancellationToken).ConfigureAwait(false) : null;
        await Parallel.ForEachAsync(
            budget.Select(c => (Call: c, Action: ReconcileAction.Deliver)).Concat(fills.Select(c => (Call: c, Action: ReconcileAction.FillLink))),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism / 2, CancellationToken = cancellationToken },
            async (item, token) => await QueueAsync(item.Call, item.Action, extensions, now, token).ConfigureAwait(false)).ConfigureAwait(false);

        return new ReconcileReport(window, counts, history.Calls.Count + history.UnreadableLines.Count >= settings.MaxCalls);
    }

    private async Task<ReconcileAction> PlanAsync(VatsHistoryCall call, DateTimeOffset now, TimeSpan inFlightFor, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCallScope(call.CallId);
        if (HistoryExportWebhook.Fields(call, null) is not { } fields)
        {
            LogUnreadableCall(logger, call.Type, "its type is not in, out or missed");
            return ReconcileAction.Unreadable;
        }

        if (!VatsWebhookParser.TryParse(new WebhookFields(fields), out var command, out var error) || command is not VatsCallHistory history)
        {
            LogUnreadableCall(logger, call.Type, error?.Message ?? "it is not a history");
            return ReconcileAction.Unreadable;
        }

        // The link policy only tells whether the processor would take the link; it is taken there.
        var link = links.Accept(history.Link);
        var grace = options.Value.WebhookGrace;
        var (state, _) = await calls.GetAsync(history.CallId, cancellationToken).ConfigureAwait(false);
        var action = ReconcilePlanner.Decide(state, history, link, null, now, grace, inFlightFor);
        if (action == ReconcileAction.Deliver)
        {
            // Only a call that needs a record costs a second read: did an earlier run queue it already?
            var queuedAt = await ledger.QueuedAtAsync(history.CallId, cancellationToken).ConfigureAwait(false);
            action = ReconcilePlanner.Decide(state, history, link, queuedAt, now, grace, inFlightFor);
        }

        return action;
    }

    private async Task QueueAsync(VatsHistoryCall call, ReconcileAction action, IReadOnlyDictionary<string, string>? extensions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginCallScope(call.CallId);
        var fields = HistoryExportWebhook.Fields(call, extensions)!;
        await queue.EnqueueAsync(new VatsQueueMessage(fields, now), cancellationToken).ConfigureAwait(false);
        if (action == ReconcileAction.Deliver)
        {
            // After the message, not before: a crash in between queues it again next run (a duplicate
            // the processor drops), never leaves a call marked as queued that was not.
            await ledger.MarkQueuedAsync(call.CallId, now, cancellationToken).ConfigureAwait(false);
            LogQueuedRecord(logger, call.Type, call.DurationSeconds);
        }
        else
        {
            LogQueuedLink(logger);
        }
    }

    // The export names the login; ELMA365 files a call under the member's extension when it has one.
    private async Task<IReadOnlyDictionary<string, string>> ExtensionsByLoginAsync(CancellationToken cancellationToken)
    {
        var accounts = await vats.GetAccountsAsync(cancellationToken).ConfigureAwait(false);
        var extensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var account in accounts)
        {
            if (!string.IsNullOrWhiteSpace(account.Ext))
            {
                extensions.TryAdd(account.Name, account.Ext.Trim());
            }
        }

        return extensions;
    }

    private ReconcileOutcome Failed(ReconcileWindow window, long started, ReconcileFailure failure, Exception cause)
    {
        LogFailed(logger, cause, window.From, window.To, failure.Code, failure.Message);
        metrics.Failed(failure.Code, time.GetElapsedTime(started));
        return new ReconcileOutcome(null, failure);
    }

    private static bool IsStorageFailure(Exception e) =>
        e is Azure.RequestFailedException or HttpRequestException or AggregateException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Calls} calls of the PBX history from {From:u} to {To:u}: {Delivered} records and {LinksFilled} links queued, {Complete} complete, {InFlight} in flight, {Recent} left to their webhook, {Deferred} deferred, {Unreadable} unreadable ({Milliseconds:F0} ms)")]
    private static partial void LogCompleted(ILogger logger, int calls, DateTimeOffset from, DateTimeOffset to, int delivered, int linksFilled, int complete, int inFlight, int recent, int deferred, int unreadable, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation of {From:u} to {To:u} failed ({Code}): {Reason} The next run reads the window again")]
    private static partial void LogFailed(ILogger logger, Exception exception, DateTimeOffset from, DateTimeOffset to, string code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation of {From:u} to {To:u} skipped: another run holds the lock")]
    private static partial void LogSkipped(ILogger logger, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PBX returned Reconcile__MaxCalls ({MaxCalls}) calls: later calls of the window may be missing; shorten Reconcile__Window or raise Reconcile__MaxCalls")]
    private static partial void LogTruncated(ILogger logger, int maxCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Line {Line} of the PBX history is not a call; skipped")]
    private static partial void LogUnreadableLine(ILogger logger, int line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PBX history has a call of type '{Type}' the bridge cannot record: {Reason}")]
    private static partial void LogUnreadableCall(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "ELMA365 has no record of this {Type} call ({Duration} s); queued the PBX's history for it")]
    private static partial void LogQueuedRecord(ILogger logger, string type, int duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "The PBX now has the recording link ELMA365's record lacks; queued the history to store it")]
    private static partial void LogQueuedLink(ILogger logger);
}
