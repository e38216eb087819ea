using Azure;
using Azure.Data.Tables;

namespace Megafon.Core.Elma365.Module;

/// <summary>The row of the <c>settings</c> table holding the webhook address the module registered.</summary>
public sealed class Elma365WebhookEntity : ITableEntity
{
    public const string Partition = "elma365";
    public const string Row = "webhook";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Url { get; set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; set; }
}
