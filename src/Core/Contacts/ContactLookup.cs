using System.Diagnostics;
using System.Text.Json;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Elma365.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>
/// Answers the PBX's <c>contact</c> from ELMA365 while the phone rings: the caller's name and the
/// PBX number of the manager responsible for them. Whatever ELMA365 or the cache does, it answers
/// within <c>Contact__Budget</c>, and <see cref="ContactAnswer.Unknown"/> when it cannot tell:
/// the PBX then routes the call as usual.
/// </summary>
public sealed partial class ContactLookup(
    Elma365ApiClient api,
    VoipBindingsCache bindings,
    ContactCache cache,
    IOptions<Elma365ApiOptions> elma,
    IOptions<ContactOptions> options,
    BridgeMetrics metrics,
    TimeProvider time,
    ILogger<ContactLookup> logger)
{
    /// <summary>An expired answer older than this is never given, not even while ELMA365 is down.</summary>
    public static readonly TimeSpan StaleLimit = TimeSpan.FromDays(1);

    // A write outlives the request it came from; this bounds it.
    private static readonly TimeSpan CacheWriteTimeout = TimeSpan.FromSeconds(5);

    // More items than this for one number is a data problem; the oldest of them are read.
    private const int PageSize = 20;

    private readonly ContactOptions _options = options.Value;
    private readonly IReadOnlyList<Elma365AppRef> _apps = options.Value.AppList();

    /// <summary>False when Elma365__ApiUrl (and its two companions) is not set: <c>contact</c> is answered <c>{}</c>.</summary>
    public bool IsEnabled => elma.Value.IsConfigured;

    public async Task<ContactAnswer> LookupAsync(string phone, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return ContactAnswer.Unknown;
        }

        try
        {
            return await AnswerAsync(phone, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The PBX must never see a 5xx for this, whatever went wrong here.
            metrics.ContactLookup("failed", "error", TimeSpan.Zero);
            LogUnexpected(logger, e.GetType().Name, PhoneMask.Mask(phone));
            return ContactAnswer.Unknown;
        }
    }

    private async Task<ContactAnswer> AnswerAsync(string phone, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (PhoneNumber.Canonical(phone) is not { } canonical)
        {
            metrics.ContactLookup("skipped", "not_a_phone", time.GetElapsedTime(started));
            return ContactAnswer.Unknown;
        }

        using var budget = new CancellationTokenSource(_options.Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var token = linked.Token;

        var cached = await ReadCacheAsync(canonical, token).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (cached is not null && cached.ExpiresAt > now)
        {
            Done("cached", null, started, phone, cached.Found, cached.Responsible);
            return AnswerOf(cached);
        }

        try
        {
            var (answer, found, complete, reason) = await AskElma365Async(canonical, token).ConfigureAwait(false);
            if (complete)
            {
                WriteInBackground(canonical, answer, found);
            }

            Done(found ? "hit" : "miss", reason, started, phone, found, answer.Responsible);
            return answer;
        }
        catch (Exception e) when (e is Elma365ApiException or OperationCanceledException or JsonException)
        {
            var failure = e switch
            {
                Elma365ApiException apiFailure => apiFailure.Reason,
                JsonException => "invalid_response",
                _ when cancellationToken.IsCancellationRequested => "cancelled",
                _ => "timeout",
            };
            var elapsed = time.GetElapsedTime(started);
            if (cached is not null && now - cached.CachedAt < StaleLimit)
            {
                metrics.ContactLookup("stale", failure, elapsed);
                LogStale(logger, PhoneMask.Mask(phone), failure, (e as Elma365ApiException)?.StatusCode, elapsed.TotalMilliseconds);
                return AnswerOf(cached);
            }

            metrics.ContactLookup("failed", failure, elapsed);
            LogFailed(logger, PhoneMask.Mask(phone), failure, (e as Elma365ApiException)?.StatusCode, elapsed.TotalMilliseconds);
            return ContactAnswer.Unknown;
        }
    }

    /// <summary>
    /// Reads one item of each app the way a search does, so the first caller after start-up does
    /// not pay for compiling this path or opening connections. Failures are the caller's to log.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            var probe = new Elma365ListRequest(true, 1, new Dictionary<string, bool> { ["*"] = true }, Filter: null, [new Elma365Sort("__createdAt", Ascending: true)]);
            foreach (var item in await api.ListAsync(app, probe, cancellationToken).ConfigureAwait(false))
            {
                _ = ContactItem.Read(item, _options.NameField, _options.PhoneField, _options.ResponsibleField);
            }
        }
    }

    /// <summary>
    /// Searches every app at once and applies the pick rule in the apps' order: an app's match
    /// counts only when every app before it answered that it has none. Complete is false when the
    /// answer lacks something a later call could get (the bindings failed): it is then not cached.
    /// </summary>
    private async Task<(ContactAnswer Answer, bool Found, bool Complete, string? Reason)> AskElma365Async(string canonical, CancellationToken cancellationToken)
    {
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var searches = _apps.Select(app => SearchAsync(app, canonical, work.Token)).ToList();
        try
        {
            ContactItem? match = null;
            foreach (var search in searches)
            {
                if (ContactPicker.Pick(await search.ConfigureAwait(false), canonical) is { } item)
                {
                    match = item;
                    break;
                }
            }

            if (match is null)
            {
                return (ContactAnswer.Unknown, false, true, null);
            }

            if (match.ResponsibleUserIds.Count == 0)
            {
                return (new ContactAnswer(match.Name, null), true, true, null);
            }

            // Asked only for a match (and nearly always in memory), so a failing ELMA365 is not
            // asked twice per call.
            try
            {
                var responsible = ContactPicker.Responsible(match, await bindings.GetAsync(cancellationToken).ConfigureAwait(false));
                return (new ContactAnswer(match.Name, responsible), true, true, null);
            }
            catch (Exception e) when (e is Elma365ApiException or OperationCanceledException)
            {
                // The name still helps the manager; routing waits for the mapping.
                var reason = e is Elma365ApiException failure ? failure.Reason : "timeout";
                return (new ContactAnswer(match.Name, null), true, false, "bindings_" + reason);
            }
        }
        finally
        {
            work.Cancel();
            foreach (var search in searches)
            {
                Observe(search);
            }
        }
    }

    private async Task<IReadOnlyList<ContactItem>> SearchAsync(Elma365AppRef app, string canonical, CancellationToken cancellationToken)
    {
        var request = new Elma365ListRequest(
            Active: true,
            Size: PageSize,
            Fields: new Dictionary<string, bool> { ["*"] = true },
            Filter: new Elma365Filter(new Dictionary<string, string> { [_options.PhoneField] = PhoneNumber.SearchKey(canonical) }),
            SortExpressions: [new Elma365Sort("__createdAt", Ascending: true)]);
        var items = await api.ListAsync(app, request, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(i => ContactItem.Read(i, _options.NameField, _options.PhoneField, _options.ResponsibleField))];
    }

    // Bounded to a quarter of the budget: a slow table must leave ELMA365 time to answer. The
    // wait is cut off here, not left to the storage client, and the read starts on another
    // thread: with the storage gone, the client was seen to hold the calling thread for most of
    // a second before it even returned its task. Never throws: without the cache the lookup asks
    // ELMA365 (and a spent budget shows there).
    private async Task<ContactCacheEntity?> ReadCacheAsync(string canonical, CancellationToken cancellationToken)
    {
        var limit = _options.Budget / 4;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var read = Task.Run(() => cache.ReadAsync(canonical, timeout.Token), CancellationToken.None);
        try
        {
            return await read.WaitAsync(limit, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Observe(read);
            LogCacheUnavailable(logger, e.GetType().Name);
            return null;
        }
    }

    private void WriteInBackground(string canonical, ContactAnswer answer, bool found)
    {
        var ttl = found ? _options.CacheTtl : _options.MissCacheTtl;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        // Not awaited: the PBX has its answer; the next call finds the row.
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(CacheWriteTimeout, time);
                await cache.WriteAsync(canonical, answer, found, time.GetUtcNow(), ttl, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogCacheWriteFailed(logger, e.GetType().Name);
            }
        });
    }

    private void Done(string outcome, string? reason, long started, string phone, bool found, string? responsible)
    {
        var elapsed = time.GetElapsedTime(started);
        metrics.ContactLookup(outcome, reason, elapsed);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var routing = !found ? "unknown caller" : responsible is null ? "name only" : $"routed to {responsible}";
            LogAnswered(logger, PhoneMask.Mask(phone), outcome, reason is null ? routing : $"{routing}, {reason}", elapsed.TotalMilliseconds);
        }
    }

    private static ContactAnswer AnswerOf(ContactCacheEntity entity) =>
        entity.Found ? new ContactAnswer(entity.ContactName, entity.Responsible) : ContactAnswer.Unknown;

    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {Phone}: {Outcome}, {Routing} in {ElapsedMs:F0} ms")]
    private static partial void LogAnswered(ILogger logger, string phone, string outcome, string routing, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact {Phone}: ELMA365 lookup failed ({Reason}, status {Status}) after {ElapsedMs:F0} ms; the PBX was answered {{}} and routes as usual")]
    private static partial void LogFailed(ILogger logger, string phone, string reason, int? status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact {Phone}: ELMA365 lookup failed ({Reason}, status {Status}) after {ElapsedMs:F0} ms; answered from an expired cache entry")]
    private static partial void LogStale(ILogger logger, string phone, string reason, int? status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Contact {Phone}: the lookup failed unexpectedly ({Error}); the PBX was answered {{}}")]
    private static partial void LogUnexpected(ILogger logger, string error, string phone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The contact cache could not be read ({Error}); asking ELMA365")]
    private static partial void LogCacheUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The contact cache could not be written ({Error}); the next call asks ELMA365 again")]
    private static partial void LogCacheWriteFailed(ILogger logger, string error);
}
