using System.Text.Json;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Http;

namespace Megafon.Core.Telephony;

/// <summary>
/// ELMA365's VoipOnWebhookUpdated, relayed by the module as <c>{"url": "<its new webhook address>"}</c>:
/// the platform changed the address (refreshed its token, re-created the module), so pushes go there from now on.
/// </summary>
public sealed class WebhookRegistration(Elma365WebhookAddresses addresses)
{
    public async Task<ApiResult> RegisterAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Malformed();
            }

            text = json.RootElement.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null;
            if (text is null && url.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                return ApiResult.Error(400, "invalid_field", "url must be a string: the module's new webhook address.", "url");
            }
        }
        catch (JsonException)
        {
            return Malformed();
        }

        if (!Elma365WebhookAddress.TryParse(text, out var address, out var error))
        {
            return ApiResult.Error(400, string.IsNullOrWhiteSpace(text) ? "missing_field" : "invalid_field", error!, "url");
        }

        Elma365WebhookAddress registered;
        try
        {
            registered = await addresses.RegisterAsync(address!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return ApiResult.Error(503, "storage_unavailable", "The bridge could not store the address; pushes still go to the previous one. Try again shortly.");
        }

        return ApiResult.Ok(new Dictionary<string, object>
        {
            ["status"] = "registered",
            ["origin"] = registered.Origin,
            ["fingerprint"] = registered.Fingerprint,
            ["registeredAt"] = registered.RegisteredAt!.Value,
        });
    }

    private static ApiResult Malformed() =>
        ApiResult.Error(400, "malformed_body", "Send a JSON object {\"url\": \"<the module's new webhook address>\"}.");
}
