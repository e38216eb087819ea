namespace Megafon.Core.Configuration;

/// <summary>
/// Reads the Functions storage setting <c>AzureWebJobsStorage</c> in either of its forms: a
/// connection string (Azurite, or keys), or identity-based <c>__queueServiceUri</c> and
/// <c>__tableServiceUri</c> with an optional <c>__clientId</c> of a user-assigned identity.
/// </summary>
public sealed record StorageOptions(string? ConnectionString, Uri? QueueServiceUri, Uri? TableServiceUri, string? ClientId)
{
    /// <summary>Identity-based blob endpoint (<c>__blobServiceUri</c>): the reconciliation's run lock, the recording archive and the host's own timers use blobs.</summary>
    public Uri? BlobServiceUri { get; init; }

    public const string Setting = "AzureWebJobsStorage";

    public bool UsesIdentity => ConnectionString is null;

    public static StorageOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var section = configuration.GetSection(Setting);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            // A connection string with an account key is a secret, and may be a Key Vault reference.
            return SecretSettingAttribute.IsUnresolvedReference(section.Value)
                ? throw new Microsoft.Extensions.Options.OptionsValidationException(
                    Setting, typeof(StorageOptions), [new SecretSettingAttribute(Setting).FormatErrorMessage(Setting)])
                : new StorageOptions(section.Value, null, null, null);
        }

        var queue = ParseUri(section["queueServiceUri"], $"{Setting}__queueServiceUri");
        var table = ParseUri(section["tableServiceUri"], $"{Setting}__tableServiceUri");
        if (queue is null || table is null)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                Setting, typeof(StorageOptions),
                [$"{Setting} is required: a storage connection string (UseDevelopmentStorage=true for Azurite), or {Setting}__queueServiceUri and {Setting}__tableServiceUri for identity-based access."]);
        }

        return new StorageOptions(null, queue, table, section["clientId"])
        {
            BlobServiceUri = ParseUri(section["blobServiceUri"], $"{Setting}__blobServiceUri")
                ?? throw new Microsoft.Extensions.Options.OptionsValidationException(
                    Setting, typeof(StorageOptions),
                    [$"{Setting}__blobServiceUri is required with identity-based storage: the reconciliation's run lock and the Functions host's timers keep their leases in blobs."]),
        };
    }

    private static Uri? ParseUri(string? text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new Microsoft.Extensions.Options.OptionsValidationException(
                setting, typeof(StorageOptions), [$"{setting} must be an absolute https address."]);
    }
}
