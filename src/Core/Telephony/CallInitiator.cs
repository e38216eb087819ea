using System.Text.Json;
using Megafon.Core.Http;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Telephony;

/// <summary>
/// Click-to-call from ELMA365: <c>{"srcPhone": the manager's PBX id, "dstPhone": the client}</c>.
/// The PBX rings the manager first, then dials the client.
/// </summary>
public sealed class CallInitiator(VatsApiClient vats)
{
    public async Task<ApiResult> StartAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        string? src, dst;
        try
        {
            using var json = JsonDocument.Parse(body);
            src = Text(json.RootElement, "srcPhone");
            dst = Text(json.RootElement, "dstPhone");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return ApiResult.Error(400, "malformed_body", "Send a JSON object {\"srcPhone\": \"<PBX user>\", \"dstPhone\": \"<client number>\"}.");
        }

        if (string.IsNullOrWhiteSpace(src))
        {
            return ApiResult.Error(400, "missing_field", "srcPhone (the manager's PBX extension or login) is required.", "srcPhone");
        }

        if (src.Length > 64 || !src.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or '+'))
        {
            return ApiResult.Error(400, "invalid_field", "srcPhone must be a PBX extension, login or number.", "srcPhone");
        }

        if (string.IsNullOrWhiteSpace(dst))
        {
            return ApiResult.Error(400, "missing_field", "dstPhone (the client's number) is required.", "dstPhone");
        }

        var digits = VatsApiClient.DigitsOnly(dst);
        if (digits.Length is < 3 or > 15 || dst.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')')))
        {
            return ApiResult.Error(400, "invalid_field", "dstPhone must be a phone number: 3 to 15 digits, optionally with +, spaces, dashes or brackets.", "dstPhone");
        }

        try
        {
            var started = await vats.MakeCallAsync(src.Trim(), digits, cancellationToken).ConfigureAwait(false);
            var answer = new Dictionary<string, string> { ["status"] = "calling" };
            if (started.CallId is { } id)
            {
                answer["callId"] = id;
            }

            return ApiResult.Ok(answer);
        }
        catch (VatsApiException e)
        {
            return e.ToApiResult();
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
