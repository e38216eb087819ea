namespace Megafon.Core.Queueing;

/// <summary>
/// What fits on the queue. A storage queue message holds 64 KiB of text, and the bridge's messages
/// are Base64 (what the Functions queue trigger reads), which turns every 3 bytes into 4. The JSON
/// is written without escaping non-ASCII or HTML characters, so a webhook's text costs its UTF-8
/// size; only what JSON must escape grows (control characters up to sixfold, quotes and
/// backslashes twofold, characters beyond the BMP threefold), and intake measures it.
/// </summary>
public static class QueueMessageSize
{
    /// <summary>The queue's limit on one message's text (Azure Storage and Azurite alike).</summary>
    public const int QueueLimit = 64 * 1024;

    /// <summary>The JSON whose Base64 fills the queue's limit.</summary>
    public const int MaxJsonBytes = QueueLimit / 4 * 3;

    /// <summary>Room kept for the poison queue's envelope: the capped reason, the time, the call id.</summary>
    public const int PoisonEnvelope = 4 * 1024;

    /// <summary>The longest reason a poisoned message carries; at most 6 bytes a character in JSON.</summary>
    public const int MaxPoisonReasonLength = 500;

    /// <summary>The most JSON an accepted webhook is queued as, so that it can still be poisoned with its reason.</summary>
    public const int MaxWebhookJsonBytes = MaxJsonBytes - PoisonEnvelope;

    /// <summary>The queue message's own members, and the JSON punctuation of up to <see cref="Vats.Webhooks.WebhookBody.MaxFields"/> fields.</summary>
    public const int MessageEnvelope = 1024;

    /// <summary>The largest <c>Vats__MaxWebhookBytes</c>: a body that size of text JSON need not escape always fits.</summary>
    public const int MaxWebhookBytes = MaxWebhookJsonBytes - MessageEnvelope;

    public static bool FitsWebhook(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.ToMemory().Length <= MaxWebhookJsonBytes;
    }
}
