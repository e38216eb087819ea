using System.Net;
using Azure;
using Azure.Data.Tables;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// The webhook address pushes go to. The module registers its own (one row of the <c>settings</c>
/// table, so every instance and every restart sees it); until it has, the <c>Elma365__WebhookUrl</c>
/// setting. Read through a short in-memory cache: a push does not read the table each time, and a
/// new address reaches every instance within <see cref="CacheFor"/>.
/// </summary>
public sealed partial class Elma365WebhookAddresses(
    TableServiceClient tables,
    IOptions<Elma365Options> options,
    TimeProvider time,
    ILogger<Elma365WebhookAddresses> logger)
{
    public const string TableName = "settings";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly TableClient _table = tables.GetTableClient(TableName);
    private readonly Elma365Options _options = options.Value;
    private Snapshot? _last;

    public TableClient Table => _table;

    /// <summary>The address to push to now, from the cache while it is fresh.</summary>
    public async ValueTask<Elma365WebhookAddress> CurrentAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        return last is not null && time.GetElapsedTime(last.ReadAt) < CacheFor
            ? last.Address
            : await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the table now. If storage does not answer, the last address read stays in use: a
    /// storage blip must not send pushes back to the fallback.
    /// </summary>
    public async Task<Elma365WebhookAddress> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Remember(await ReadAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (_last is { } last && e is RequestFailedException or HttpRequestException or AggregateException)
        {
            return last.Address;
        }
    }

    /// <summary>Stores the address the module registered; this instance pushes there at once, the others within <see cref="CacheFor"/>.</summary>
    public async Task<Elma365WebhookAddress> RegisterAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var entity = new Elma365WebhookEntity { Url = url.AbsoluteUri, RegisteredAt = time.GetUtcNow() };
        try
        {
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            // A storage account the infrastructure did not prepare (a fresh Azurite): make the table.
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        var address = new Elma365WebhookAddress(url, entity.RegisteredAt);
        LogRegistered(logger, address.Origin, address.Fingerprint);
        return Remember(address);
    }

    private async Task<Elma365WebhookAddress> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var found = await _table.GetEntityIfExistsAsync<Elma365WebhookEntity>(
                Elma365WebhookEntity.Partition, Elma365WebhookEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (found.HasValue && found.Value is { } row && Uri.TryCreate(row.Url, UriKind.Absolute, out var url))
            {
                return new Elma365WebhookAddress(url, row.RegisteredAt);
            }
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            // No table yet: nothing was ever registered.
        }

        return new Elma365WebhookAddress(new Uri(_options.WebhookUrl), null);
    }

    private Elma365WebhookAddress Remember(Elma365WebhookAddress address)
    {
        var previous = Interlocked.Exchange(ref _last, new Snapshot(address, time.GetTimestamp()));
        if (previous is not null && !previous.Address.IsSameAddress(address))
        {
            LogSwitched(logger, address.IsRegistered ? "registered by the module" : "Elma365__WebhookUrl", address.Origin, address.Fingerprint);
        }

        return address;
    }

    private sealed record Snapshot(Elma365WebhookAddress Address, long ReadAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "The ELMA365 module registered its webhook address on {Origin} (fingerprint {Fingerprint})")]
    private static partial void LogRegistered(ILogger logger, string origin, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushing to the ELMA365 webhook address {Source} on {Origin} (fingerprint {Fingerprint})")]
    private static partial void LogSwitched(ILogger logger, string source, string origin, string fingerprint);
}
