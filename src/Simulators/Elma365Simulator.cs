using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>
/// Stands in for the ELMA365 module webhook: checks the keys (the bridge's X-Bridge-Key as the
/// companion module does), records every message it accepts and the shape of every request, and
/// can be told to fail (503 for a share of requests, slow answers, or down altogether).
/// </summary>
public sealed partial class Elma365Simulator : LoopbackServer
{
    public const string WebhookPath = "elma365/webhook";

    private readonly ConcurrentQueue<JsonObject> _received = new();
    private readonly ConcurrentQueue<Elma365Arrival> _arrivals = new();
    private readonly ConcurrentQueue<Elma365PushShape> _shapes = new();
    private readonly string _token;
    private readonly string? _bridgeKey;
    private readonly Random _random;
    private long _failed;
    private long _refused;
    private long _requests;

    private Elma365Simulator(string token, int seed, string? bridgeKey)
    {
        _token = token;
        _bridgeKey = bridgeKey;
        _random = new Random(seed);
    }

    public Uri WebhookUrl => new(BaseAddress, WebhookPath);

    /// <summary>ELMA365's public web API (/pub/v1), on this same host as on a real ELMA365.</summary>
    public Elma365PublicApi Api { get; } = new();

    /// <summary>Messages accepted (answered 200), in arrival order.</summary>
    public IReadOnlyList<JsonObject> Received => [.. _received];

    /// <summary>How many messages were accepted so far (cheaper than copying <see cref="Received"/>).</summary>
    public int ReceivedCount => _received.Count;

    /// <summary>The accepted messages with the moment each one's JSON was read, in arrival order (for latency measurements, bench/).</summary>
    public IReadOnlyList<Elma365Arrival> Arrivals => [.. _arrivals];

    /// <summary>How every request to the webhook was framed, refused ones too, in arrival order.</summary>
    public IReadOnlyList<Elma365PushShape> Shapes => [.. _shapes];

    /// <summary>Share of requests answered 503, from 0 to 1.</summary>
    public double FailureRate { get; set; }

    /// <summary>Sent with the 503s as Retry-After, when set.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Every answer waits this long first.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Drops every connection without an answer, like a server that is down.</summary>
    public bool IsDown { get; set; }

    /// <summary>When set, every request is answered with this status (e.g. 400 for a permanent refusal).</summary>
    public int? ForcedStatus { get; set; }

    public long FailedCount => Interlocked.Read(ref _failed);

    /// <summary>Every request that reached the webhook, whatever it was answered.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <param name="token">The ELMA365 module key expected as Authorization: Bearer.</param>
    /// <param name="port">0 picks a free one.</param>
    /// <param name="seed">Seeds which requests fail under <see cref="FailureRate"/>.</param>
    /// <param name="bridgeKey">When set, the X-Bridge-Key every push must carry (the module's functionKey).</param>
    public static async Task<Elma365Simulator> StartAsync(string token, int port = 0, int seed = 365, string? bridgeKey = null)
    {
        var simulator = new Elma365Simulator(token, seed, bridgeKey);
        await simulator.StartAsync(port, app =>
        {
            app.MapPost(WebhookPath, (Delegate)(Func<HttpContext, Task<IResult>>)simulator.HandleAsync);
            app.MapGet("elma365/received", () => Results.Json(simulator.Received));
            app.MapGet("elma365/arrivals", (int? from) => Results.Json(simulator.Arrivals.Skip(from ?? 0)));
            app.MapGet("elma365/shapes", () => Results.Json(simulator.Shapes));
            simulator.Api.Map(app);
        });
        return simulator;
    }

    /// <summary>Waits until the accepted messages satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(Func<IReadOnlyList<JsonObject>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = Received;
            if (condition(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"ELMA365 simulator: condition not met within {timeout}; received {received.Count}: {string.Join(", ", received.Select(Describe))}");
            }

            await Task.Delay(50);
        }
    }

    public static string Describe(JsonObject m) =>
        $"{m["kind"]}:{m["callId"]}:{m["event"] ?? m["disposition"]}:{MemberOf(m)}";

    /// <summary>The PBX member of a message: the caller of an outbound call, the callee of any other.</summary>
    public static string? MemberOf(JsonObject m) =>
        (m["direction"]?.GetValue<string>() == "Out" ? m["srcPhone"] : m["dstPhone"])?.GetValue<string>();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var started = DateTimeOffset.UtcNow;
        var delay = NextDelay();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (IsDown)
        {
            Interlocked.Increment(ref _failed);
            context.Abort();
            return Results.Empty;
        }

        _shapes.Enqueue(new Elma365PushShape(
            DateTimeOffset.UtcNow, context.Request.ContentLength, context.Request.Headers.TransferEncoding.FirstOrDefault(), context.Request.ContentType));

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {_token}")
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { error = "invalid key" }, statusCode: 401);
        }

        if (_bridgeKey is not null && !SameKey(context.Request.Headers["X-Bridge-Key"].FirstOrDefault(), _bridgeKey))
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { error = "X-Bridge-Key is missing or wrong: the push does not come from the bridge" }, statusCode: 401);
        }

        if (Redirect(context) is { } redirect)
        {
            return redirect;
        }

        if (ForcedStatus is { } forced)
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { error = "forced by the test" }, statusCode: forced);
        }

        bool fail;
        lock (_random)
        {
            fail = _random.NextDouble() < FailureRate;
        }

        if (fail)
        {
            Interlocked.Increment(ref _failed);
            if (RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Results.Text("Service Unavailable", statusCode: 503);
        }

        JsonObject? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null || message["kind"] is null)
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { error = "not a bridge message" }, statusCode: 400);
        }

        _arrivals.Enqueue(new Elma365Arrival(DateTimeOffset.UtcNow, message));
        RecordPush(started, message);
        _received.Enqueue(message);
        await AnswerLateAsync(context, message);
        return Results.Json(new { ok = true });
    }

    private static bool SameKey(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>How one request to the webhook was framed: a declared length, or a chunked body.</summary>
public sealed record Elma365PushShape(DateTimeOffset ReceivedAt, long? ContentLength, string? TransferEncoding, string? ContentType);

/// <summary>One accepted message and when the simulator had read its JSON.</summary>
public sealed record Elma365Arrival(DateTimeOffset ReceivedAt, JsonObject Message);
