using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Megafon.Core.Diagnostics;
using Megafon.Core.Http;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.Operations;

/// <summary>
/// Lists and replays a poison queue (<c>vats-events-poison</c> by default, <c>recordings-poison</c>
/// with <c>queue=recordings</c>).
/// <para>
/// A replay takes only what was in the poison queue before it put anything back: it reads the whole
/// queue a page at a time first (so a call id filter finds its messages wherever they are), and
/// only then acts, so a message that fails again while the replay runs lands there anew and is
/// left for the next replay: a replay never loops however often ELMA365 refuses. What it read and
/// does not replay is out of sight only while it runs, and visible again before it answers. Each message it takes is put back as a first attempt, or, when that
/// could no longer reach ELMA365 (delivered already, stale, a popup too late to show, a recording
/// archived already), removed and reported with the reason: nothing a replay removes goes unaccounted.
/// </para>
/// </summary>
public sealed partial class PoisonAdmin
{
    // A peek and a receive return at most 32 messages.
    private const int Page = 32;

    /// <summary>The most messages one request reads; a larger poison queue takes several replays, each answer says what was not reached.</summary>
    public const int MaxScanned = 5000;

    /// <summary>The most dropped messages an answer lists one by one (all are counted and logged).</summary>
    public const int MaxListedDrops = 100;

    // How long a message read by a scan stays out of sight if the scan dies before releasing it:
    // long enough to read and act on MaxScanned messages.
    private static readonly TimeSpan ScanLease = TimeSpan.FromMinutes(5);

    private readonly IReadOnlyDictionary<string, IPoisonSource> _sources;
    private readonly BridgeMetrics _metrics;
    private readonly ILogger<PoisonAdmin> _logger;

    internal PoisonAdmin(IEnumerable<IPoisonSource> sources, BridgeMetrics metrics, ILogger<PoisonAdmin> logger)
    {
        _sources = sources.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<ApiResult> ListAsync(string? queue, string? callId, CancellationToken cancellationToken)
    {
        if (Source(queue) is not { } source)
        {
            return UnknownQueue(queue);
        }

        var total = (await source.Poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        if (callId is null)
        {
            var peeked = (await source.Poison.PeekMessagesAsync(Page, cancellationToken).ConfigureAwait(false)).Value;
            var shown = peeked.Select(m => Listing(source, m.Body)).ToList();
            return ApiResult.Ok(new Dictionary<string, object> { ["queue"] = source.Name, ["total"] = total, ["shown"] = shown.Count, ["messages"] = shown });
        }

        // A call's messages may be anywhere in the queue: read it all, then let it be.
        var matches = new List<IReadOnlyDictionary<string, object?>>();
        var scan = await ScanAsync(source, message =>
        {
            if (TryRead(source, message.Body) is { } entry && entry.CallId == callId)
            {
                lock (matches)
                {
                    matches.Add(entry.Listing);
                }
            }

            return Task.FromResult(false);
        }, cancellationToken).ConfigureAwait(false);

        return ApiResult.Ok(new Dictionary<string, object>
        {
            ["queue"] = source.Name,
            ["total"] = total,
            ["shown"] = matches.Count,
            ["scanned"] = scan.Scanned,
            ["notReached"] = scan.NotReached,
            ["messages"] = matches,
        });
    }

    public async Task<ApiResult> ReplayAsync(string? queue, string? callId, CancellationToken cancellationToken)
    {
        if (Source(queue) is not { } source)
        {
            return UnknownQueue(queue);
        }

        var replayed = 0;
        var otherCalls = 0;
        var unreadable = 0;
        var dropped = new List<Dictionary<string, object?>>();
        var droppedCount = 0;
        var scan = await ScanAsync(source, async message =>
        {
            if (TryRead(source, message.Body) is not { } entry)
            {
                Interlocked.Increment(ref unreadable);
                return false;
            }

            if (callId is not null && entry.CallId != callId)
            {
                Interlocked.Increment(ref otherCalls);
                return false;
            }

            switch (await source.JudgeAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                case ReplayVerdict.Drop drop:
                    await source.AccountDropAsync(entry, cancellationToken).ConfigureAwait(false);
                    LogDropped(_logger, LogText.Safe(entry.CallId ?? "(none)"), drop.Reason);
                    lock (dropped)
                    {
                        droppedCount++;
                        if (dropped.Count < MaxListedDrops)
                        {
                            dropped.Add(new Dictionary<string, object?>(entry.Listing) { ["reason"] = drop.Reason });
                        }
                    }

                    return true;

                default:
                    await source.PutBackAsync(entry, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref replayed);
                    return true;
            }
        }, cancellationToken).ConfigureAwait(false);

        _metrics.Replayed(replayed);
        LogReplayed(_logger, replayed, droppedCount, source.Name, callId is null ? "(all)" : LogText.Safe(callId));
        var remaining = (await source.Poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        return ApiResult.Ok(new Dictionary<string, object>
        {
            ["queue"] = source.Name,
            ["replayed"] = replayed,
            ["dropped"] = droppedCount,
            ["droppedMessages"] = dropped,
            ["left"] = new Dictionary<string, int>
            {
                ["otherCalls"] = otherCalls,
                ["unreadable"] = unreadable,
                ["notReached"] = scan.NotReached,
            },
            ["remaining"] = remaining,
        });
    }

    /// <summary>
    /// Reads the whole poison queue first, a page at a time, keeping what it read out of sight; only
    /// then hands each message to <paramref name="take"/>, which says whether it took it (then it is
    /// deleted). So nothing a replay puts back, and ELMA365 refuses again, is read by the same
    /// replay. Whatever was read and not taken is made visible again before it returns, whatever happened.
    /// </summary>
    private static async Task<ScanResult> ScanAsync(IPoisonSource source, Func<QueueMessage, Task<bool>> take, CancellationToken cancellationToken)
    {
        var read = new List<QueueMessage>();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (read.Count < MaxScanned)
            {
                var page = (await source.Poison.ReceiveMessagesAsync(Math.Min(Page, MaxScanned - read.Count), ScanLease, cancellationToken).ConfigureAwait(false)).Value;
                if (page.Length == 0)
                {
                    break;
                }

                read.AddRange(page);
            }

            foreach (var chunk in read.Chunk(Page))
            {
                await Task.WhenAll(chunk.Select(async message =>
                {
                    if (await take(message).ConfigureAwait(false))
                    {
                        await source.Poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                        lock (deleted)
                        {
                            deleted.Add(message.MessageId);
                        }
                    }
                })).ConfigureAwait(false);
            }
        }
        finally
        {
            await Task.WhenAll(read
                .Where(m => !deleted.Contains(m.MessageId))
                .Select(m => source.Poison.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None))).ConfigureAwait(false);
        }

        var notReached = read.Count >= MaxScanned
            ? Math.Max(0, (await source.Poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount - (read.Count - deleted.Count))
            : 0;
        return new ScanResult(read.Count, notReached);
    }

    private IPoisonSource? Source(string? queue) =>
        _sources.GetValueOrDefault(string.IsNullOrEmpty(queue) ? Queueing.QueueNames.VatsEvents : queue);

    private ApiResult UnknownQueue(string? queue) =>
        ApiResult.Error(400, "unknown_queue", $"queue must be one of {string.Join(", ", _sources.Keys.Order(StringComparer.Ordinal))} (got '{LogText.Safe(queue ?? string.Empty)}').", "queue");

    private static PoisonEntry? TryRead(IPoisonSource source, BinaryData body)
    {
        try
        {
            return source.Read(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, object?> Listing(IPoisonSource source, BinaryData body) =>
        TryRead(source, body)?.Listing ?? new Dictionary<string, object?> { ["reason"] = "unreadable: neither a bridge message nor a poisoned one" };

    private sealed record ScanResult(int Scanned, int NotReached);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed {Count} poisoned messages and dropped {Dropped} from {Queue} for {CallId}")]
    private static partial void LogReplayed(ILogger logger, int count, int dropped, string queue, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay dropped a poisoned message of {CallId}: {Reason}")]
    private static partial void LogDropped(ILogger logger, string callId, string reason);
}
