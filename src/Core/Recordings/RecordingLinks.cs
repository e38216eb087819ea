using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Recordings;

/// <summary>
/// Short-lived, read-only links to archived recordings. In Azure storage has no keys, so a link is
/// a user delegation SAS signed with a key the app's identity asks Entra-authorised storage for
/// (the identity needs the generateUserDelegationKey action: Storage Blob Delegator). Against a
/// connection string with an account key (Azurite) it is a service SAS signed with that key.
/// </summary>
public sealed class RecordingLinks(RecordingContainer container, IOptions<RecordingsOptions> options, TimeProvider time) : IDisposable
{
    // Storage refuses a delegation key valid longer than 7 days.
    private static readonly TimeSpan MaxKeyLifetime = TimeSpan.FromDays(7);

    // The service's clock may run behind ours: a key starting "now" could be refused as not yet valid.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private readonly TimeSpan _lifetime = options.Value.LinkLifetime;
    private UserDelegationKey? _key;

    /// <summary>A read-only link to <paramref name="blobName"/> and when it stops working.</summary>
    public async Task<(Uri Link, DateTimeOffset ExpiresOn)> ReadLinkAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = container.Client.GetBlobClient(blobName);
        var expiresOn = time.GetUtcNow() + _lifetime;
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            // Azurite speaks http; real storage gets https-only links.
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return (blob.GenerateSasUri(sas), expiresOn);
        }

        var key = await DelegationKeyAsync(expiresOn, cancellationToken).ConfigureAwait(false);
        return (blob.GenerateUserDelegationSasUri(sas, key), expiresOn);
    }

    public void Dispose() => _keyGate.Dispose();

    // One key signs every link until it would expire before the link does: one call to storage a
    // day, not one per click.
    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset neededUntil, CancellationToken cancellationToken)
    {
        if (_key is { } cached && cached.SignedExpiresOn >= neededUntil)
        {
            return cached;
        }

        await _keyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_key is { } again && again.SignedExpiresOn >= neededUntil)
            {
                return again;
            }

            var now = time.GetUtcNow();
            var keyLifetime = TimeSpan.FromTicks(Math.Min(Math.Max(TimeSpan.FromDays(1).Ticks, _lifetime.Ticks * 2), MaxKeyLifetime.Ticks));
            var response = await container.Service.GetUserDelegationKeyAsync(now - ClockSkew, now + keyLifetime, cancellationToken).ConfigureAwait(false);
            _key = response.Value;
            return _key;
        }
        finally
        {
            _keyGate.Release();
        }
    }
}
