using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>The ELMA365 side: the module webhook the processor pushes calls to.</summary>
public sealed class Elma365Options
{
    public const string Section = "Elma365";

    [Required(ErrorMessage = "Elma365__WebhookUrl is required: the webhook address shown on the ELMA365 module page.")]
    [AbsoluteHttpUri(ErrorMessage = "Elma365__WebhookUrl must be an absolute http(s) address.")]
    public string WebhookUrl { get; set; } = string.Empty;

    [Required(ErrorMessage = "Elma365__Token is required: the key shown next to the webhook address on the ELMA365 module page.")]
    [SecretSetting("Elma365__Token")]
    public string Token { get; set; } = string.Empty;

    /// <summary>How long one push may take before it counts as ELMA365 being down.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Elma365__Timeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
