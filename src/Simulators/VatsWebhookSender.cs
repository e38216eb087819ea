namespace Megafon.Simulators;

/// <summary>Posts webhooks to the bridge exactly as the PBX does: form-encoded, with crm_token.</summary>
public sealed class VatsWebhookSender(HttpClient http, Uri webhookUrl, string crmToken)
{
    public async Task<HttpResponseMessage> SendAsync(VatsWebhook webhook, CancellationToken cancellationToken = default)
    {
        var fields = new Dictionary<string, string>(webhook.Fields) { ["crm_token"] = crmToken };
        using var content = new FormUrlEncodedContent(fields);
        return await http.PostAsync(webhookUrl, content, cancellationToken);
    }
}
