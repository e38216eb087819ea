using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage;

namespace Megafon.Core.Recordings;

/// <summary>The private <c>recordings</c> container in the app's storage account.</summary>
public sealed class RecordingContainer(BlobServiceClient service)
{
    public const string Name = "recordings";

    // Blocks of 4 MiB, two in flight: memory per archive stays near 8 MiB whatever the file's size,
    // and a block is small enough to retry cheaply.
    private static readonly StorageTransferOptions Transfer = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 2,
    };

    public BlobServiceClient Service => service;

    public BlobContainerClient Client => Service.GetBlobContainerClient(Name);

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        (await Client.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Streams <paramref name="content"/> into a new blob in blocks; the blob appears only when the
    /// last block is committed, so a download that fails or is cut off leaves no partial blob.
    /// Never overwrites: a blob already there (another worker won the race) is a 409.
    /// </summary>
    public async Task UploadAsync(string blobName, Stream content, string contentType, CancellationToken cancellationToken) =>
        await Client.GetBlobClient(blobName).UploadAsync(
            content,
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = Transfer,
            },
            cancellationToken).ConfigureAwait(false);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await Client.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);
}
