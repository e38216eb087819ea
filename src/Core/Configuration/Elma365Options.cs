using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>The ELMA365 side: the module webhook the processor pushes calls to, and the keys of each push.</summary>
public sealed class Elma365Options
{
    public const string Section = "Elma365";

    /// <summary>Where pushes go until the module registers its own address (PUT /api/elma365/webhook).</summary>
    [Required(ErrorMessage = "Elma365__WebhookUrl is required: the webhook address shown on the ELMA365 module page.")]
    [SecureUri(ErrorMessage = "Elma365__WebhookUrl must be an absolute https address without credentials, as shown on the ELMA365 module page: the module key travels with every push (plain http only to this machine, for development).")]
    public string WebhookUrl { get; set; } = string.Empty;

    [Required(ErrorMessage = "Elma365__Token is required: the key shown next to the webhook address on the ELMA365 module page.")]
    [SecretSetting("Elma365__Token")]
    public string Token { get; set; } = string.Empty;

    /// <summary>
    /// Sent with every push (header X-Bridge-Key); the module accepts only pushes carrying it. The
    /// same value as the Function App host key the module calls the bridge with («Ключ функции»).
    /// </summary>
    [Required(ErrorMessage = "Elma365__ModuleKey is required: the value of the Function App host key 'elma365', which the ELMA365 module holds as «Ключ функции» (functionKey).")]
    [SecretSetting("Elma365__ModuleKey")]
    [MinLength(16, ErrorMessage = "Elma365__ModuleKey must be at least 16 characters: it is the only thing that tells the ELMA365 module a push comes from the bridge.")]
    [RegularExpression(@"^[\x21-\x7E]*$", ErrorMessage = "Elma365__ModuleKey may hold only visible ASCII characters (no spaces): it travels in an HTTP header.")]
    public string ModuleKey { get; set; } = string.Empty;

    /// <summary>
    /// The longest one push may take, its in-process retries included: one budget for the whole
    /// push. A push not answered by then counts as ELMA365 being down and is retried from the queue,
    /// never in-process: ELMA365 may have taken it, and only the queue's retry is spaced out. Long
    /// enough for a slow but working ELMA365 (a module script on a busy on-premises server takes
    /// seconds): giving up on a push that was about to succeed is what sends it twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Elma365__Timeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after a webhook arrived a 401, 403 or 404 from ELMA365 is taken for the module's
    /// address changing (its token refreshed) rather than a refusal: the push waits on the retry
    /// schedule for the module to register its new address instead of going to poison.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Elma365__AddressChangeGrace must be between 00:00:00 and 01:00:00.")]
    public TimeSpan AddressChangeGrace { get; set; } = TimeSpan.FromMinutes(10);
}
