using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Calls;

/// <summary>
/// The <c>calls</c> table: callid → <see cref="CallState"/>. Writes are conditional on the ETag
/// that was read, so two workers handling the same call never overwrite each other's decisions.
/// </summary>
public sealed class CallStore(TableServiceClient tables)
{
    public const string TableName = "calls";

    // Sets are stored as one string; members and keys never contain a line break.
    private const char Separator = '\n';

    private readonly TableClient _table = tables.GetTableClient(TableName);

    public TableClient Table => _table;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        _table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>The call's state and the ETag to write it back with (default when the call is new).</summary>
    public async Task<(CallState State, ETag ETag)> GetAsync(string callId, CancellationToken cancellationToken)
    {
        var found = await _table.GetEntityIfExistsAsync<CallEntity>(Key(callId), CallEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue && found.Value is { } entity ? (ToState(entity), entity.ETag) : (CallState.New, default);
    }

    /// <summary>
    /// Writes the state if nobody changed the call since <paramref name="etag"/> was read: the new
    /// ETag, or null if somebody did. That conflict is expected and not an error (see
    /// <see cref="ExpectedConflictsPolicy"/>, which keeps Azure.Core from logging it as one).
    /// </summary>
    public async Task<ETag?> TrySaveAsync(string callId, CallState state, ETag etag, CancellationToken cancellationToken)
    {
        var entity = ToEntity(callId, state);
        try
        {
            var response = etag == default
                ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag ?? throw new InvalidOperationException("The calls table answered a write without an ETag.");
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Reads, changes and writes back until the write is not overtaken by another worker.</summary>
    public async Task<CallState> UpdateAsync(string callId, Func<CallState, CallState> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (state, etag) = await GetAsync(callId, cancellationToken).ConfigureAwait(false);
            var next = change(state);
            if (ReferenceEquals(next, state) || await TrySaveAsync(callId, next, etag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return next;
            }
        }
    }

    // Table keys may not contain / \ # ? or control characters; PBX call ids do not, but a
    // forged one must not break the table.
    internal static string Key(string callId)
    {
        foreach (var c in callId)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                return Uri.EscapeDataString(callId).Replace("%", "~", StringComparison.Ordinal);
            }
        }

        return callId;
    }

    private static CallState ToState(CallEntity e) => new()
    {
        Direction = Enum.TryParse<VatsCallDirection>(e.Direction, out var direction) ? direction : null,
        AnsweredBy = e.AnsweredBy,
        Ended = e.Ended,
        HistoryRecorded = e.HistoryRecorded,
        EndedLegs = Split(e.EndedLegs),
        Delivered = Split(e.Delivered),
        Pending = e.Pending,
        PendingOwner = e.PendingOwner,
        PendingSince = e.PendingSince,
        Waiting = SplitWaiting(e.Waiting),
        Dropped = Split(e.Dropped),
        Link = e.Link,
        LinkMissing = e.LinkMissing,
        RecordingBlob = e.RecordingBlob,
        RecordingArchivedAt = e.RecordingArchivedAt,
        Status = e.Status,
        Disposition = e.Disposition,
        DurationSeconds = e.DurationSeconds,
        StartedAt = e.StartedAt,
        SecondCallId = e.SecondCallId,
        TransferredFrom = e.TransferredFrom,
        Rating = e.Rating,
    };

    private static CallEntity ToEntity(string callId, CallState s) => new()
    {
        PartitionKey = Key(callId),
        Direction = s.Direction?.ToString(),
        AnsweredBy = s.AnsweredBy,
        Ended = s.Ended,
        HistoryRecorded = s.HistoryRecorded,
        EndedLegs = Join(s.EndedLegs),
        Delivered = Join(s.Delivered),
        Pending = s.Pending,
        PendingOwner = s.PendingOwner,
        PendingSince = s.PendingSince,
        Waiting = JoinWaiting(s.Waiting),
        Dropped = Join(s.Dropped),
        Link = s.Link,
        LinkMissing = s.LinkMissing,
        RecordingBlob = s.RecordingBlob,
        RecordingArchivedAt = s.RecordingArchivedAt,
        Status = s.Status,
        Disposition = s.Disposition,
        DurationSeconds = s.DurationSeconds,
        StartedAt = s.StartedAt,
        SecondCallId = s.SecondCallId,
        TransferredFrom = s.TransferredFrom,
        Rating = s.Rating,
    };

    private static HashSet<string> Split(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : [.. joined.Split(Separator)];

    private static string? Join(IReadOnlySet<string> set) =>
        set.Count == 0 ? null : string.Join(Separator, set.Order(StringComparer.Ordinal));

    // One line per waiting message: its key, a tab, when it began waiting. Keys never contain a tab.
    private static Dictionary<string, DateTimeOffset> SplitWaiting(string? joined)
    {
        var waiting = new Dictionary<string, DateTimeOffset>();
        foreach (var line in Split(joined))
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0 && DateTimeOffset.TryParse(line.AsSpan(tab + 1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                waiting[line[..tab]] = since;
            }
        }

        return waiting;
    }

    private static string? JoinWaiting(IReadOnlyDictionary<string, DateTimeOffset> waiting) =>
        waiting.Count == 0
            ? null
            : string.Join(Separator, waiting.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}\t{w.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}"));
}
