using System.ComponentModel.DataAnnotations;
using Megafon.Core.Queueing;

namespace Megafon.Core.Configuration;

/// <summary>The PBX side: where its API is, and the two keys exchanged in its "Интеграция с CRM" card.</summary>
public sealed class VatsOptions
{
    public const string Section = "Vats";

    /// <summary>The PBX API address, e.g. https://vats123456.megapbx.ru/sys/crm_api.wcgp.</summary>
    [Required(ErrorMessage = "Vats__Endpoint is required: the PBX API address, e.g. https://vats123456.megapbx.ru/sys/crm_api.wcgp.")]
    [SecureUri(ErrorMessage = "Vats__Endpoint must be an absolute https address, e.g. https://vats123456.megapbx.ru/sys/crm_api.wcgp: the PBX key travels with every command (plain http only to this machine, for development).")]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The PBX key, sent as <c>token</c> on every CRM → PBX command.</summary>
    [Required(ErrorMessage = "Vats__ApiKey is required: the key the PBX shows in its 'Интеграция с CRM' card.")]
    [SecretSetting("Vats__ApiKey")]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The CRM key the PBX sends as <c>crm_token</c> with every webhook.</summary>
    [Required(ErrorMessage = "Vats__CrmToken is required: the CRM key pasted into the PBX's 'Интеграция с CRM' card.")]
    [MinLength(16, ErrorMessage = "Vats__CrmToken must be at least 16 characters: it is the only thing that authenticates the PBX.")]
    [SecretSetting("Vats__CrmToken")]
    public string CrmToken { get; set; } = string.Empty;

    /// <summary>
    /// The largest webhook body accepted; PBX webhooks are a few hundred bytes. Capped to what a
    /// queue message holds once the webhook is JSON in Base64 (<see cref="QueueMessageSize"/>).
    /// </summary>
    [Range(1024, QueueMessageSize.MaxWebhookBytes, ErrorMessage = "Vats__MaxWebhookBytes must be between {1} and {2}: a webhook is queued as Base64-encoded JSON, and a storage queue message holds 64 KiB.")]
    public int MaxWebhookBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Hosts besides the PBX's own that recording links may point to (comma-separated). A link
    /// elsewhere, or not https, is not passed on to ELMA365.
    /// </summary>
    public string RecordingHosts { get; set; } = string.Empty;

    // A method, not a property: options validation reads every property, and this one would
    // throw on the malformed address that validation is about to report by name.
    public Uri EndpointAddress() => new(Endpoint);
}
