using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Recordings;

/// <summary>Archiving needs a blob endpoint; identity-based storage names it in a setting of its own.</summary>
internal sealed class RecordingsStorageValidation(StorageOptions storage) : IValidateOptions<RecordingsOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingsOptions options) =>
        options.Archive && storage.UsesIdentity && storage.BlobServiceUri is null
            ? ValidateOptionsResult.Fail($"{StorageOptions.Setting}__blobServiceUri is required while Recordings__Archive is on: the recordings are kept in that account's 'recordings' container. Set it, or set Recordings__Archive=false.")
            : ValidateOptionsResult.Success;
}
