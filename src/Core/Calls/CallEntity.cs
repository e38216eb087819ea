using Azure;
using Azure.Data.Tables;

namespace Megafon.Core.Calls;

/// <summary>
/// The row of the <c>calls</c> table. Each call is its own partition (PartitionKey = callid), so
/// writes spread over the table's partitions instead of heating one.
/// </summary>
public sealed class CallEntity : ITableEntity
{
    public const string Row = "call";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? Direction { get; set; }

    public string? AnsweredBy { get; set; }

    public bool Ended { get; set; }

    public bool HistoryRecorded { get; set; }

    public string? EndedLegs { get; set; }

    public string? Delivered { get; set; }

    public string? Pending { get; set; }

    public string? PendingOwner { get; set; }

    public DateTimeOffset? PendingSince { get; set; }

    /// <summary>Lines of "key TAB since" (ISO 8601, UTC).</summary>
    public string? Waiting { get; set; }

    public string? Dropped { get; set; }

    public string? Link { get; set; }

    public bool LinkMissing { get; set; }

    public string? RecordingBlob { get; set; }

    public DateTimeOffset? RecordingArchivedAt { get; set; }

    public string? Status { get; set; }

    public string? Disposition { get; set; }

    public int? DurationSeconds { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public string? SecondCallId { get; set; }

    public string? TransferredFrom { get; set; }

    public string? Rating { get; set; }
}
