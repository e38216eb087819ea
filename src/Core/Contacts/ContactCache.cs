using System.Net;
using Azure;
using Azure.Data.Tables;

namespace Megafon.Core.Contacts;

/// <summary>
/// The <c>contacts</c> table: one row per number with the last answer ELMA365 gave for it, so a
/// repeat caller is answered from storage. Failures surface as exceptions; the lookup decides
/// that they never fail an answer.
/// </summary>
public sealed class ContactCache(TableServiceClient tables)
{
    public const string TableName = "contacts";

    private readonly TableClient _table = tables.GetTableClient(TableName);

    public TableClient Table => _table;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        _table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>The last answer for <paramref name="canonicalPhone"/>, fresh or not; null if there is none.</summary>
    public async Task<ContactCacheEntity?> ReadAsync(string canonicalPhone, CancellationToken cancellationToken)
    {
        try
        {
            var found = await _table.GetEntityIfExistsAsync<ContactCacheEntity>(canonicalPhone, ContactCacheEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? found.Value : null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            // The table itself is missing (created at start-up and on the first write).
            return null;
        }
    }

    public async Task WriteAsync(string canonicalPhone, ContactAnswer answer, bool found, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var entity = new ContactCacheEntity
        {
            PartitionKey = canonicalPhone,
            Found = found,
            ContactName = answer.Name,
            Responsible = answer.Responsible,
            CachedAt = now,
            ExpiresAt = now + ttl,
        };

        try
        {
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }
}
