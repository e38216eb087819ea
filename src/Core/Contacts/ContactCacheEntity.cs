using Azure;
using Azure.Data.Tables;

namespace Megafon.Core.Contacts;

/// <summary>A row of the <c>contacts</c> table: what the lookup answered for one number, and until when that holds.</summary>
public sealed class ContactCacheEntity : ITableEntity
{
    public const string Row = "contact";

    /// <summary>The number in canonical form (<see cref="PhoneNumber.Canonical"/>): digits only, a valid key.</summary>
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>False for a number ELMA365 does not know (a negative entry).</summary>
    public bool Found { get; set; }

    public string? ContactName { get; set; }

    public string? Responsible { get; set; }

    /// <summary>When the answer was read from ELMA365.</summary>
    public DateTimeOffset CachedAt { get; set; }

    /// <summary>Until when the answer is given without asking ELMA365.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
