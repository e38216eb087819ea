namespace Megafon.Core.Elma365.Module;

/// <summary>
/// When ELMA365 refusing a push may only mean the module's webhook address is changing. The
/// platform refreshes the token in that address now and then: the old address then answers 401,
/// 403 or 404, and moments later the module registers the new one (VoipOnWebhookUpdated → PUT
/// /api/elma365/webhook). A push caught in between must wait for the new address, not be poisoned.
/// </summary>
public static class Elma365AddressRefusal
{
    public static bool IsAddressRefusal(int status) => status is 401 or 403 or 404;

    /// <summary>
    /// True while the refusal can still be the address changing: the address pushed to has been
    /// replaced since (the retry goes to the new one), or the webhook is younger than the grace
    /// period (the module may not have registered its new address yet). After that, an address
    /// that is still current and still refuses means a wrong key or a deleted module.
    /// </summary>
    public static bool MayBeChanging(
        Elma365WebhookAddress pushedTo, Elma365WebhookAddress current, DateTimeOffset webhookReceivedAt, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(pushedTo);
        ArgumentNullException.ThrowIfNull(current);
        return !pushedTo.IsSameAddress(current) || now - webhookReceivedAt < grace;
    }
}
