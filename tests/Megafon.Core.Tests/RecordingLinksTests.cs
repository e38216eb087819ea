using System.Net;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Megafon.Core.Configuration;
using Megafon.Core.Recordings;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

/// <summary>
/// The SAS links GetCallLink hands out. Both are signed offline; the identity-based one needs a
/// user delegation key, which here comes from a stand-in for the storage endpoint (real Entra ID is
/// not reachable from a test), answering exactly what the service's REST API answers.
/// </summary>
public sealed class RecordingLinksTests
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Blob = "2026/11/24/call-1.mp3";

    private static RecordingLinks Links(BlobServiceClient service, TimeSpan lifetime) =>
        new(new RecordingContainer(service), Options.Create(new RecordingsOptions { LinkLifetime = lifetime }), TimeProvider.System);

    private static Dictionary<string, string> Query(Uri link) =>
        link.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    [Fact]
    public async Task With_an_account_key_the_link_is_a_read_only_service_SAS_for_that_blob()
    {
        var service = new BlobServiceClient($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;");
        using var links = Links(service, TimeSpan.FromMinutes(10));

        var (link, expiresOn) = await links.ReadLinkAsync(Blob, CancellationToken.None);

        Assert.Equal("/devstoreaccount1/recordings/2026/11/24/call-1.mp3", link.AbsolutePath);
        var query = Query(link);
        Assert.Equal("r", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("https,http", query["spr"]);
        Assert.False(query.ContainsKey("skoid"));
        Assert.True(query.ContainsKey("sig"));
        Assert.InRange(DateTimeOffset.Parse(query["se"], System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        Assert.InRange(expiresOn, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
    }

    [Fact]
    public async Task With_identity_based_storage_the_link_is_a_user_delegation_SAS_and_one_key_signs_many_links()
    {
        var storage = new DelegationKeyEndpoint();
        var service = new BlobServiceClient(
            new Uri("https://stbridge.blob.core.windows.net"),
            new StaticToken(),
            new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)), Retry = { MaxRetries = 0 } });
        using var links = Links(service, TimeSpan.FromHours(1));

        var first = (await links.ReadLinkAsync(Blob, CancellationToken.None)).Link;
        await links.ReadLinkAsync("2026/11/24/call-2.mp3", CancellationToken.None);
        await links.ReadLinkAsync("2026/11/24/call-3.mp3", CancellationToken.None);

        Assert.Equal(1, storage.KeyRequests);
        Assert.Equal("Bearer token-for-tests", storage.Authorization);
        var query = Query(first);
        Assert.Equal(DelegationKeyEndpoint.ObjectId, query["skoid"]);
        Assert.Equal(DelegationKeyEndpoint.TenantId, query["sktid"]);
        Assert.Equal("r", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("https", query["spr"]);
        Assert.True(query.ContainsKey("sig"));
        Assert.Equal("/recordings/2026/11/24/call-1.mp3", first.AbsolutePath);

        // The key asked for covers a day of links, starting a little early against clock skew.
        Assert.InRange(storage.RequestedExpiry - storage.RequestedStart, TimeSpan.FromHours(24), TimeSpan.FromHours(24.2));
        Assert.True(storage.RequestedStart < DateTimeOffset.UtcNow.AddMinutes(-4));
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("token-for-tests", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers POST ?restype=service&amp;comp=userdelegationkey as the Blob service does.</summary>
    private sealed class DelegationKeyEndpoint : HttpMessageHandler
    {
        public const string ObjectId = "6b2b8c56-5c1e-4d8e-9d3a-0f0e7d4b1a11";
        public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

        public int KeyRequests { get; private set; }

        public string? Authorization { get; private set; }

        public DateTimeOffset RequestedStart { get; private set; }

        public DateTimeOffset RequestedExpiry { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.Query.Contains("comp=userdelegationkey", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest);
            }

            KeyRequests++;
            Authorization = request.Headers.Authorization?.ToString();
            var keyInfo = XDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).Root!;
            RequestedStart = DateTimeOffset.Parse(keyInfo.Element("Start")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            RequestedExpiry = DateTimeOffset.Parse(keyInfo.Element("Expiry")!.Value, System.Globalization.CultureInfo.InvariantCulture);
            var xml = $"""
                <?xml version="1.0" encoding="utf-8"?>
                <UserDelegationKey>
                  <SignedOid>{ObjectId}</SignedOid>
                  <SignedTid>{TenantId}</SignedTid>
                  <SignedStart>{keyInfo.Element("Start")!.Value}</SignedStart>
                  <SignedExpiry>{keyInfo.Element("Expiry")!.Value}</SignedExpiry>
                  <SignedService>b</SignedService>
                  <SignedVersion>2025-01-05</SignedVersion>
                  <Value>{Convert.ToBase64String(Encoding.UTF8.GetBytes("a user delegation key of 32 bytes"))}</Value>
                </UserDelegationKey>
                """;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };
        }
    }
}
