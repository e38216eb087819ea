using Azure;
using Azure.Data.Tables;
using Megafon.Core.Calls;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// The <c>reconciliation</c> table: when a run last queued a call's history. While that message
/// may still be on its way (queued behind a backlog, or retrying through an ELMA365 outage), later
/// runs leave the call alone instead of queuing copy after copy, and a message ELMA365 refuses
/// outright ends in the poison queue once per period instead of once per run.
/// </summary>
public sealed class ReconcileLedger(TableServiceClient tables)
{
    public const string TableName = "reconciliation";

    private const string HistoryRow = "history";

    private readonly TableClient _table = tables.GetTableClient(TableName);
    private int _created;

    public TableClient Table => _table;

    public async Task<DateTimeOffset?> QueuedAtAsync(string callId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(CallStore.Key(callId), HistoryRow, [nameof(Queued.QueuedAt)], cancellationToken).ConfigureAwait(false);
        return found.HasValue && found.Value is { } entity ? entity.GetDateTimeOffset(nameof(Queued.QueuedAt)) : null;
    }

    public async Task MarkQueuedAsync(string callId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(new Queued { PartitionKey = CallStore.Key(callId), RowKey = HistoryRow, QueuedAt = at }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }

    private sealed class Queued : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;

        public string RowKey { get; set; } = string.Empty;

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public DateTimeOffset QueuedAt { get; set; }
    }
}
