using System.Collections.Concurrent;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Megafon.Bench.Load;

/// <summary>
/// A pass-through proxy between the DevHost and Azurite, for instrumented runs only: it counts
/// every storage operation and notes when each webhook's queue message was written and when a
/// receive handed it to the processor, which splits end-to-end latency into intake, waiting on
/// the queue (polling) and processing. It adds one loopback hop per operation, so headline
/// latencies come from runs without it.
/// </summary>
internal sealed class StorageProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    });

    private readonly ConcurrentDictionary<string, long> _operations = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _enqueued = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _dequeued = new();
    private readonly Latencies _receiveRoundTrips = new();
    private long _emptyReceives;

    private StorageProxy(WebApplication app) => _app = app;

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>Operations by service and kind, e.g. "queue put", "table get".</summary>
    public IReadOnlyDictionary<string, long> Operations => _operations;

    public long EmptyReceives => Interlocked.Read(ref _emptyReceives);

    public Latencies ReceiveRoundTrips => _receiveRoundTrips;

    /// <summary>When the queue message for a call id was written (the PUT answered).</summary>
    public bool TryGetEnqueued(string key, out DateTimeOffset at) => _enqueued.TryGetValue(key, out at);

    /// <summary>When a receive answered with the queue message for a call id (first time only).</summary>
    public bool TryGetDequeued(string key, out DateTimeOffset at) => _dequeued.TryGetValue(key, out at);

    public void ResetCounts()
    {
        _operations.Clear();
        Interlocked.Exchange(ref _emptyReceives, 0);
    }

    public static async Task<StorageProxy> StartAsync(int azuriteQueuePort, int azuriteTablePort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new StorageProxy(app);
        app.Run(context => proxy.ForwardAsync(context, context.Connection.LocalPort == proxy.QueuePort ? ("queue", azuriteQueuePort) : ("table", azuriteTablePort)));
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        proxy.QueuePort = ports[0];
        proxy.TablePort = ports[1];
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context, (string Service, int Port) target)
    {
        var request = context.Request;
        var started = DateTimeOffset.UtcNow;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), $"http://127.0.0.1:{target.Port}{request.Path}{request.QueryString}");
        byte[] requestBody = [];
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            requestBody = buffer.ToArray();
            forward.Content = new ByteArrayContent(requestBody);
        }
        else if (request.ContentLength == 0)
        {
            forward.Content = new ByteArrayContent([]);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name is "Host" or "Transfer-Encoding" or "Connection" or "Content-Length")
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _http.SendAsync(forward, HttpCompletionOption.ResponseContentRead);
        var responseBody = await response.Content.ReadAsByteArrayAsync();
        var ended = DateTimeOffset.UtcNow;

        var kind = Classify(target.Service, request.Method, request.Path.Value ?? string.Empty);
        _operations.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (kind == "queue put" && response.IsSuccessStatusCode)
        {
            foreach (var key in CallKeys(requestBody))
            {
                _enqueued.TryAdd(key, ended);
            }
        }
        else if (kind == "queue receive" && response.IsSuccessStatusCode)
        {
            _receiveRoundTrips.Add((ended - started).TotalMilliseconds);
            var keys = CallKeys(responseBody);
            if (keys.Count == 0)
            {
                Interlocked.Increment(ref _emptyReceives);
            }

            foreach (var key in keys)
            {
                _dequeued.TryAdd(key, ended);
            }
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Connection")
            {
                continue;
            }

            context.Response.Headers[name] = values.ToArray();
        }

        context.Response.ContentLength = responseBody.Length;
        await context.Response.Body.WriteAsync(responseBody);
    }

    private static string Classify(string service, string method, string path)
    {
        if (service == "queue")
        {
            var messages = path.Contains("/messages", StringComparison.Ordinal);
            var byId = messages && !path.EndsWith("/messages", StringComparison.Ordinal);
            return (method, messages, byId) switch
            {
                ("POST", true, false) => "queue put",
                ("GET", true, false) => "queue receive",
                ("DELETE", true, true) => "queue delete",
                ("PUT", true, true) => "queue update",
                _ => $"queue other ({method})",
            };
        }

        var entity = path.Contains("(PartitionKey=", StringComparison.Ordinal);
        return (method, entity) switch
        {
            ("GET", true) => "table get",
            ("POST", false) => "table insert",
            ("PUT", true) or ("MERGE", true) or ("PATCH", true) => "table update",
            ("DELETE", true) => "table delete",
            _ => $"table other ({method})",
        };
    }

    // A queue message is XML with Base64 text holding the bridge's JSON; the key is "callid|type".
    private static List<string> CallKeys(byte[] xml)
    {
        var keys = new List<string>();
        if (xml.Length == 0)
        {
            return keys;
        }

        try
        {
            using var stream = new MemoryStream(xml);
            var document = XDocument.Load(stream); // the SDK's XML may start with a byte-order mark
            foreach (var text in document.Descendants("MessageText"))
            {
                using var json = JsonDocument.Parse(Convert.FromBase64String(text.Value));
                if (json.RootElement.TryGetProperty("fields", out var fields))
                {
                    var callId = fields.TryGetProperty("callid", out var c) ? c.GetString() : null;
                    var type = fields.TryGetProperty("cmd", out var cmd) && cmd.GetString() == "history"
                        ? "history"
                        : fields.TryGetProperty("type", out var t) ? t.GetString() : null;
                    keys.Add($"{callId}|{type}");
                }
            }
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException or JsonException)
        {
            // Not a bridge message (e.g. a poison entry): nothing to time.
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
