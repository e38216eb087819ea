namespace Megafon.Simulators;

/// <summary>Posts webhooks to the bridge exactly as the PBX does: form-encoded, with crm_token.</summary>
public sealed class VatsWebhookSender(HttpClient http, Uri webhookUrl, string crmToken)
{
    public async Task<HttpResponseMessage> SendAsync(VatsWebhook webhook, CancellationToken cancellationToken = default)
    {
        using var content = Content(webhook, crmToken);
        return await http.PostAsync(webhookUrl, content, cancellationToken);
    }

    /// <summary>The body the PBX posts for <paramref name="webhook"/>: its fields and crm_token, form-encoded.</summary>
    public static FormUrlEncodedContent Content(VatsWebhook webhook, string crmToken) =>
        new(new Dictionary<string, string>(webhook.Fields) { ["crm_token"] = crmToken });
}
