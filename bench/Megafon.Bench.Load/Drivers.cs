using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Core.Configuration;
using Megafon.Core.DependencyInjection;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Bench.Load;

/// <summary>One closed-loop load run: how many, how fast, how long each took.</summary>
internal sealed record LoadResult(string Target, string Driver, int Concurrency, double Seconds, long Requests, long Errors, Dictionary<string, double> Latency)
{
    public double PerSecond => Requests / Seconds;

    public static LoadResult FromJson(string json) => JsonSerializer.Deserialize<LoadResult>(json)!;
}

/// <summary>
/// Closed-loop drivers: <c>concurrency</c> workers each sending the next request as soon as the
/// previous one is answered, after an unrecorded warm-up.
/// </summary>
internal static class Drivers
{
    /// <summary>POSTs INCOMING webhooks (a unique call id each) to <paramref name="url"/>.</summary>
    public static async Task<LoadResult> HttpAsync(string target, Uri url, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = concurrency,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
        var prefix = $"http-{Environment.ProcessId}-{DateTime.UtcNow:HHmmssfff}";
        var mediaType = new MediaTypeHeaderValue(Webhooks.FormContentType);
        long sequence = 0;

        async Task<bool> SendOne()
        {
            var n = Interlocked.Increment(ref sequence);
            using var content = new ByteArrayContent(Webhooks.Incoming($"{prefix}-{n}"));
            content.Headers.ContentType = mediaType;
            using var response = await http.PostAsync(url, content);
            await response.Content.LoadIntoBufferAsync();
            return response.IsSuccessStatusCode;
        }

        return await ClosedLoopAsync(target, "dotnet-http", concurrency, duration, warmup, SendOne);
    }

    /// <summary>
    /// The raw-enqueue ceiling: the queue message the intake writes for the same webhook, sent with
    /// QueueClient.SendMessageAsync by the bridge's own VatsEventQueues, composed by AddMegafonBridge
    /// (so with the same client settings), without HTTP, parsing or token check around it.
    /// </summary>
    public static async Task<LoadResult> EnqueueAsync(string connectionString, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageOptions.Setting] = connectionString })
            .Build();
        await using var services = new ServiceCollection().AddMegafonBridge(configuration).BuildServiceProvider();
        var queues = services.GetRequiredService<VatsEventQueues>();
        await queues.EnsureCreatedAsync(CancellationToken.None);
        var prefix = $"raw-{Environment.ProcessId}-{DateTime.UtcNow:HHmmssfff}";
        long sequence = 0;

        async Task<bool> SendOne()
        {
            var n = Interlocked.Increment(ref sequence);
            // The message VatsWebhookIntake queues for this webhook: the fields less the token.
            WebhookBody.TryRead(WebhookBody.Format.Form, Webhooks.Incoming($"{prefix}-{n}"), out var fields, out _);
            await queues.EnqueueAsync(new VatsQueueMessage(fields.WithoutSecrets(), DateTimeOffset.UtcNow), CancellationToken.None);
            return true;
        }

        return await ClosedLoopAsync("raw SendMessageAsync", "dotnet-queueclient", concurrency, duration, warmup, SendOne);
    }

    private static async Task<LoadResult> ClosedLoopAsync(string target, string driver, int concurrency, TimeSpan duration, TimeSpan warmup, Func<Task<bool>> sendOne)
    {
        var latencies = new Latencies();
        long requests = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var until = warmup + duration;

        async Task Worker()
        {
            while (clock.Elapsed < until)
            {
                var started = clock.Elapsed;
                bool ok;
                try
                {
                    ok = await sendOne();
                }
                catch (Exception e) when (e is HttpRequestException or Azure.RequestFailedException or TaskCanceledException)
                {
                    ok = false;
                }

                var ended = clock.Elapsed;
                if (started >= measureFrom && ended <= until)
                {
                    latencies.Add((ended - started).TotalMilliseconds);
                    Interlocked.Increment(ref requests);
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return new LoadResult(target, driver, concurrency, duration.TotalSeconds, requests, errors, latencies.Summary());
    }

    /// <summary>Runs this harness's <c>enqueue</c> verb as its own process, like wrk is its own process.</summary>
    public static async Task<LoadResult> EnqueueInChildAsync(string connectionString, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        var self = typeof(Drivers).Assembly.Location;
        await using var child = ChildProcess.StartDotnet($"enqueue-c{concurrency}", self,
        [
            "enqueue", "--connection", connectionString, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
            "--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--warmup", warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        var exit = await child.WaitForExitAsync(duration + warmup + TimeSpan.FromSeconds(60));
        var line = File.ReadLines(child.LogPath).LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"The enqueue driver failed (exit {exit}); log {child.LogPath}:\n{child.Tail()}");
        }

        return LoadResult.FromJson(line["RESULT ".Length..]);
    }

    /// <summary>wrk with bench/wrk/webhook.lua; its done() prints the figures as one JSON line.</summary>
    public static async Task<LoadResult> WrkAsync(string target, Uri url, int concurrency, TimeSpan duration, bool warmup = true)
    {
        if (warmup)
        {
            await RunWrkAsync(url, concurrency, TimeSpan.FromSeconds(3), "warmup");
        }

        var json = await RunWrkAsync(url, concurrency, duration, target);
        var requests = json["requests"]!.GetValue<long>();
        var errors = json["errors"]!.GetValue<long>();
        var latency = new Dictionary<string, double>
        {
            ["count"] = requests,
            ["mean_ms"] = Latencies.Round(json["mean_us"]!.GetValue<double>() / 1000),
            ["p50_ms"] = Latencies.Round(json["p50_us"]!.GetValue<double>() / 1000),
            ["p90_ms"] = Latencies.Round(json["p90_us"]!.GetValue<double>() / 1000),
            ["p95_ms"] = Latencies.Round(json["p95_us"]!.GetValue<double>() / 1000),
            ["p99_ms"] = Latencies.Round(json["p99_us"]!.GetValue<double>() / 1000),
            ["max_ms"] = Latencies.Round(json["max_us"]!.GetValue<double>() / 1000),
        };
        return new LoadResult(target, "wrk", concurrency, json["duration_us"]!.GetValue<double>() / 1e6, requests, errors, latency);
    }

    private static async Task<JsonObject> RunWrkAsync(Uri url, int concurrency, TimeSpan duration, string label)
    {
        var threads = Math.Min(2, concurrency);
        var name = $"wrk-{label.Replace(' ', '-')}-c{concurrency}";
        await using var wrk = ChildProcess.Start(name, "wrk",
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", concurrency.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s", "-s", Repo.WrkScript, url.ToString(),
        ], new Dictionary<string, string> { ["CRM_TOKEN"] = Keys.CrmToken });
        var exit = await wrk.WaitForExitAsync(duration + TimeSpan.FromSeconds(30));
        await Task.Delay(100); // let the last output lines reach the log
        var line = File.ReadLines(wrk.LogPath).LastOrDefault(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk failed (exit {exit}); log {wrk.LogPath}:\n{wrk.Tail()}");
        }

        return JsonNode.Parse(line["WRK_JSON ".Length..])!.AsObject();
    }
}
