using System.Net.Http.Headers;
using System.Text.Json;
using Megafon.Core.Configuration;
using Megafon.Core.Json;

namespace Megafon.Core.Elma365.Module;

/// <summary>The HTTP request of one push to the module webhook.</summary>
public static class Elma365Push
{
    /// <summary>Carries <c>Elma365__ModuleKey</c>; the module refuses pushes without it (401).</summary>
    public const string BridgeKeyHeader = "X-Bridge-Key";

    public static HttpRequestMessage Create(Elma365Message message, Uri address, Elma365Options options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Bytes, not a stream: the request declares its Content-Length instead of going out
        // chunked, which not every proxy in front of an on-premises ELMA365 accepts.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, BridgeJsonContext.Default.Elma365Message));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        request.Headers.Add(BridgeKeyHeader, options.ModuleKey);
        return request;
    }
}
