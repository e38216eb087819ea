using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Megafon.Core.Queueing;
using Megafon.Simulators;

namespace Megafon.Bench.Load;

internal sealed record EndToEndOptions(
    double Rate,
    TimeSpan Duration,
    string Mix,
    bool Instrument,
    string Label,
    TimeSpan? EndEventDelay = null,
    TimeSpan? MaxPollingInterval = null,
    IDictionary<string, string>? DevHostSettings = null,
    TimeSpan? DrainLimit = null,
    TimeSpan? Warmup = null,
    TimeSpan? AzuriteQueueGcInterval = null,
    bool AzuriteDebugLog = false,
    BridgeHostKind Host = BridgeHostKind.DevHost,
    (double Min, double Max)? IdleGapSeconds = null);

/// <summary>
/// End-to-end latency: webhooks sent open-loop at a fixed rate (or, mix "idle", one ring every few
/// seconds) to the DevHost or the Functions host (queue trigger on), each timed from just before it
/// is sent to the moment the ELMA365 simulator has read the JSON it turned into. Also samples the
/// bridge's memory and the CPU of the bridge (the Functions host with its worker) and Azurite.
/// </summary>
internal static class EndToEnd
{
    private sealed record Planned(double At, string Type, string CallId, byte[] Body, TimeSpan Hold)
    {
        public string ElmaKey => $"{CallId}|{Type switch { "INCOMING" or "OUTGOING" => "NotifyStart", "ACCEPTED" => "NotifyAnswer", "history" => "callRecord", _ => "NotifyEnd" }}";

        public string QueueKey => $"{CallId}|{Type}";
    }

    private sealed class Sent
    {
        public DateTimeOffset SentAt;
        public DateTimeOffset AnsweredAt;
        public int Status;
        public double LagMs;
    }

    public static async Task<Dictionary<string, object>> RunAsync(EndToEndOptions o)
    {
        var endDelay = o.EndEventDelay ?? TimeSpan.FromSeconds(2);
        var plan = Plan(o, endDelay);
        var startedAt = DateTimeOffset.Now;
        var loadBefore = Report.LoadAverage();
        Console.WriteLine($"e2e [{o.Label}]: {plan.Count} webhooks ({o.Mix}) at {o.Rate}/s for {o.Duration.TotalSeconds} s{(o.Instrument ? ", instrumented (storage proxy)" : string.Empty)}; EndEventDelay {endDelay}; load {loadBefore}");

        await using var azurite = await Azurite.StartAsync($"azurite-e2e-{o.Label}", o.AzuriteQueueGcInterval, o.AzuriteDebugLog);
        await using var vats = await VatsSimulator.StartAsync(Keys.VatsApiKey);
        await using var elma = await Elma365Simulator.StartAsync(Keys.Elma365Token, bridgeKey: Keys.FunctionKey);
        await using var proxy = o.Instrument ? await StorageProxy.StartAsync(azurite.QueuePort, azurite.TablePort) : null;
        var storage = proxy is null ? azurite.ConnectionString : azurite.ConnectionStringFor(proxy.QueuePort, proxy.TablePort);

        var settings = new Dictionary<string, string>(o.DevHostSettings ?? new Dictionary<string, string>());
        if (o.EndEventDelay is { } delay)
        {
            settings["Processing__EndEventDelay"] = delay.ToString("c", CultureInfo.InvariantCulture);
        }

        if (o.MaxPollingInterval is { } polling)
        {
            var hostJson = JsonNode.Parse(File.ReadAllText(Repo.HostJson))!;
            hostJson["extensions"]!["queues"]!["maxPollingInterval"] = polling.ToString("c", CultureInfo.InvariantCulture);
            var path = Path.Combine(Repo.ArtifactsDir, $"host-{o.Label}.json");
            File.WriteAllText(path, hostJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            settings["DevHost__HostJsonPath"] = path;
            settings["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = polling.ToString("c", CultureInfo.InvariantCulture);
        }

        var (devhost, address) = await BridgeHosts.StartAsync(o.Host, $"{o.Host.Name()}-e2e-{o.Label}", storage, elma.WebhookUrl, vats.ApiEndpoint, runQueueTriggers: true, settings);
        await using var _ = devhost;
        var webhookUrl = new Uri(address, "api/vats/webhook");

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 512 }) { Timeout = TimeSpan.FromSeconds(30) };
        var mediaType = new MediaTypeHeaderValue(Webhooks.FormContentType);

        // Warm-up (not measured): INCOMING webhooks at up to 100/s until the JIT has settled, all delivered.
        var warmupTime = o.Warmup ?? TimeSpan.FromSeconds(5);
        var warmupRate = o.Mix == "idle" ? 10 : Math.Min(o.Rate, 100);
        var warmupCount = (int)(warmupRate * warmupTime.TotalSeconds);
        var warmupClock = Stopwatch.StartNew();
        for (var i = 0; i < warmupCount; i++)
        {
            var wait = TimeSpan.FromSeconds(i / warmupRate) - warmupClock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            using var content = new ByteArrayContent(Webhooks.Incoming($"warm-{o.Label}-{i}"));
            content.Headers.ContentType = mediaType;
            using var response = await http.PostAsync(webhookUrl, content);
        }

        await WaitUntilAsync(() => elma.ReceivedCount >= 20 + warmupCount, TimeSpan.FromSeconds(60));

        // What the bridge costs while idle (the queue poller backing off to maxPollingInterval).
        await Task.Delay(2000);
        var idleWindow = TimeSpan.FromSeconds(Math.Min(5, Math.Max(1, o.Duration.TotalSeconds / 4)));
        var idleBefore = (DevHost: devhost.CpuSeconds(), Azurite: azurite.Process.CpuSeconds());
        await Task.Delay(idleWindow);
        var idleCores = (DevHost: (devhost.CpuSeconds() - idleBefore.DevHost) / idleWindow.TotalSeconds, Azurite: (azurite.Process.CpuSeconds() - idleBefore.Azurite) / idleWindow.TotalSeconds);
        proxy?.ResetCounts();
        var queue = new QueueClient(azurite.ConnectionString, QueueNames.VatsEvents);
        var sent = new Sent[plan.Count];
        using var inflight = new SemaphoreSlim(512);

        // Sampling: the bridge's memory, CPU of the bridge, Azurite and this harness (sender + simulators).
        var samples = new ConcurrentQueue<Dictionary<string, double>>();
        using var stopSampling = new CancellationTokenSource();
        var self = Process.GetCurrentProcess();
        var cpu0 = (DevHost: devhost.CpuSeconds(), Azurite: azurite.Process.CpuSeconds(), Harness: self.TotalProcessorTime.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                self.Refresh();
                samples.Enqueue(new Dictionary<string, double>
                {
                    ["t_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                    ["bridge_rss_mib"] = Math.Round(devhost.RssMiB(), 1),
                    ["bridge_cpu_s"] = Math.Round(devhost.CpuSeconds() - cpu0.DevHost, 2),
                    ["azurite_cpu_s"] = Math.Round(azurite.Process.CpuSeconds() - cpu0.Azurite, 2),
                    ["harness_cpu_s"] = Math.Round(self.TotalProcessorTime.TotalSeconds - cpu0.Harness, 2),
                    ["delivered"] = elma.ReceivedCount,
                });
                try
                {
                    await Task.Delay(1000, stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // Open loop: each webhook leaves at its planned time whether or not earlier ones were answered.
        var sends = new List<Task>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var wait = TimeSpan.FromSeconds(plan[i].At) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            await inflight.WaitAsync();
            var index = i;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var record = sent[index] = new Sent { LagMs = (clock.Elapsed.TotalSeconds - plan[index].At) * 1000 };
                    using var content = new ByteArrayContent(plan[index].Body);
                    content.Headers.ContentType = mediaType;
                    record.SentAt = DateTimeOffset.UtcNow;
                    using var response = await http.PostAsync(webhookUrl, content);
                    record.AnsweredAt = DateTimeOffset.UtcNow;
                    record.Status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    sent[index].Status = -1;
                }
                finally
                {
                    inflight.Release();
                }
            }));
        }

        var sendSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(sends);
        var backlogAfterSending = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        // Wait for every expected message, as long as deliveries keep coming.
        var expected = plan.Select(p => p.ElmaKey).ToHashSet();
        var lastCount = -1;
        var lastProgress = Stopwatch.StartNew();
        var hardLimit = Stopwatch.StartNew();
        while (hardLimit.Elapsed < (o.DrainLimit ?? TimeSpan.FromMinutes(5)) && lastProgress.Elapsed < TimeSpan.FromSeconds(20))
        {
            var arrivedKeys = elma.Arrivals.Select(a => Webhooks.ArrivalKey(a.Message)).Where(expected.Contains).Distinct().Count();
            if (arrivedKeys >= expected.Count)
            {
                break;
            }

            if (arrivedKeys != lastCount)
            {
                lastCount = arrivedKeys;
                lastProgress.Restart();
            }

            await Task.Delay(250);
        }

        var drainedSeconds = clock.Elapsed.TotalSeconds;

        // Where an undelivered webhook can still be: waiting on the queue, or poisoned with a reason.
        var leftOnQueue = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        var poison = new QueueClient(azurite.ConnectionString, QueueNames.VatsEventsPoison);
        var poisoned = (await poison.ExistsAsync()).Value ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        await stopSampling.CancelAsync();
        await sampler;
        var cpu = (DevHost: devhost.CpuSeconds() - cpu0.DevHost, Azurite: azurite.Process.CpuSeconds() - cpu0.Azurite, Harness: (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpu0.Harness));
        var peakRss = devhost.PeakRssMiB();

        // Latencies per webhook type, from the first arrival of the message each webhook should cause.
        var arrivals = new Dictionary<string, DateTimeOffset>();
        foreach (var a in elma.Arrivals)
        {
            arrivals.TryAdd(Webhooks.ArrivalKey(a.Message), a.ReceivedAt);
        }

        var byType = new Dictionary<string, object>();
        var missing = 0;
        var errors = sent.Count(s => s.Status is < 200 or > 299);
        foreach (var group in plan.Select((p, i) => (Plan: p, Sent: sent[i])).GroupBy(x => x.Plan.Type))
        {
            var total = new Latencies();
            var beyondHold = new Latencies();
            var intake = new Latencies();
            var onQueue = new Latencies();
            var processing = new Latencies();
            foreach (var (p, s) in group)
            {
                intake.Add((s.AnsweredAt - s.SentAt).TotalMilliseconds);
                if (!arrivals.TryGetValue(p.ElmaKey, out var arrived))
                {
                    missing++;
                    continue;
                }

                total.Add((arrived - s.SentAt).TotalMilliseconds);
                beyondHold.Add((arrived - s.SentAt - p.Hold).TotalMilliseconds);
                if (proxy is not null && proxy.TryGetEnqueued(p.QueueKey, out var enqueued) && proxy.TryGetDequeued(p.QueueKey, out var dequeued))
                {
                    onQueue.Add((dequeued - enqueued - p.Hold).TotalMilliseconds);
                    processing.Add((arrived - dequeued).TotalMilliseconds);
                }
            }

            var entry = new Dictionary<string, object>
            {
                ["sent"] = group.Count(),
                ["delivered"] = total.Count,
                ["held_on_queue_by_design_ms"] = group.First().Plan.Hold.TotalMilliseconds,
                ["end_to_end"] = total.Summary(),
                ["intake_response"] = intake.Summary(),
            };
            if (group.First().Plan.Hold > TimeSpan.Zero)
            {
                entry["end_to_end_minus_hold"] = beyondHold.Summary();
            }

            if (onQueue.Count > 0)
            {
                entry["on_queue_beyond_hold"] = onQueue.Summary();
                entry["processing"] = processing.Summary();
                entry["queue_share_of_mean"] = Math.Round(onQueue.Mean / beyondHold.Mean, 3);
            }

            byType[group.Key] = entry;
        }

        var sampleList = samples.ToList();
        var steadyFrom = sampleList.FirstOrDefault(x => x["t_s"] >= Math.Min(3, o.Duration.TotalSeconds / 3));
        var steadyTo = sampleList.LastOrDefault(x => x["t_s"] <= sendSeconds);
        var steadyRate = steadyFrom is not null && steadyTo is not null && steadyTo["t_s"] > steadyFrom["t_s"]
            ? (steadyTo["delivered"] - steadyFrom["delivered"]) / (steadyTo["t_s"] - steadyFrom["t_s"])
            : double.NaN;
        var rss = sampleList.Where(s => s["t_s"] <= sendSeconds + 1).Select(s => s["bridge_rss_mib"]).ToList();
        var webhooks = plan.Count;
        var result = new Dictionary<string, object>
        {
            ["what"] = "end-to-end latency: webhook sent → JSON read by the ELMA365 simulator",
            ["label"] = o.Label,
            ["host"] = o.Host.Name(),
            ["date"] = startedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            ["machine"] = Report.Machine(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = Report.LoadAverage(),
            ["mix"] = o.Mix,
            ["rate_per_s"] = o.Rate,
            ["seconds"] = o.Duration.TotalSeconds,
            ["instrumented"] = o.Instrument,
            ["end_event_delay"] = endDelay.ToString(),
            ["max_polling_interval"] = (o.MaxPollingInterval ?? TimeSpan.FromMilliseconds(500)).ToString(),
            ["azurite_queue_gc_interval"] = (o.AzuriteQueueGcInterval ?? TimeSpan.FromSeconds(60)).ToString(),
            ["webhooks"] = webhooks,
            ["send_errors"] = errors,
            ["missing"] = missing,
            ["sender_max_lag_ms"] = Math.Round(sent.Max(s => s.LagMs), 1),
            ["achieved_send_rate_per_s"] = Math.Round(webhooks / sendSeconds, 1),
            ["offered_rate_per_s"] = Math.Round(webhooks / o.Duration.TotalSeconds, 1),
            ["delivered_rate_per_s"] = Math.Round(steadyRate, 1),
            ["delivered_rate_note"] = "ELMA365 messages per second while sending, after the first seconds",
            ["queue_backlog_when_sending_ended"] = backlogAfterSending,
            ["left_on_queue_after_drain"] = leftOnQueue,
            ["poisoned"] = poisoned,
            ["by_type"] = byType,
            ["bridge_rss_mib"] = new Dictionary<string, double>
            {
                ["max_during_load"] = rss.Count > 0 ? rss.Max() : double.NaN,
                ["mean_during_load"] = rss.Count > 0 ? Math.Round(rss.Average(), 1) : double.NaN,
                ["peak_since_start_vmhwm"] = Math.Round(peakRss, 1),
            },
            ["cpu_seconds"] = new Dictionary<string, double>
            {
                ["bridge"] = Math.Round(cpu.DevHost, 2),
                ["azurite"] = Math.Round(cpu.Azurite, 2),
                ["harness_sender_and_simulators"] = Math.Round(cpu.Harness, 2),
                ["wall"] = Math.Round(drainedSeconds, 2),
            },
            ["cpu_ms_per_webhook"] = new Dictionary<string, double>
            {
                ["bridge"] = Math.Round(cpu.DevHost * 1000 / webhooks, 3),
                ["azurite"] = Math.Round(cpu.Azurite * 1000 / webhooks, 3),
                ["bridge_beyond_idle"] = Math.Round(Math.Max(0, cpu.DevHost - idleCores.DevHost * drainedSeconds) * 1000 / webhooks, 3),
                ["azurite_beyond_idle"] = Math.Round(Math.Max(0, cpu.Azurite - idleCores.Azurite * drainedSeconds) * 1000 / webhooks, 3),
            },
            ["idle_cores"] = new Dictionary<string, double>
            {
                ["bridge"] = Math.Round(idleCores.DevHost, 3),
                ["azurite"] = Math.Round(idleCores.Azurite, 3),
            },
            ["samples"] = sampleList,
        };
        if (proxy is not null)
        {
            result["storage_operations"] = proxy.Operations.OrderBy(k => k.Key).ToDictionary(k => k.Key, k => k.Value);
            result["storage_operations_per_webhook"] = Math.Round(proxy.Operations.Values.Sum() / (double)webhooks, 2);
            result["empty_receives"] = proxy.EmptyReceives;
            result["receive_round_trip"] = proxy.ReceiveRoundTrips.Summary();
        }

        Print(result);
        Report.Write($"e2e-{o.Label}", result);
        return result;
    }

    private static List<Planned> Plan(EndToEndOptions o, TimeSpan endDelay)
    {
        var run = $"{o.Label}-{DateTime.UtcNow:HHmmss}";
        var plan = new List<Planned>();
        if (o.Mix == "incoming")
        {
            var count = (int)Math.Round(o.Rate * o.Duration.TotalSeconds);
            for (var i = 0; i < count; i++)
            {
                var callId = $"e2e-{run}-{i}";
                plan.Add(new Planned(i / o.Rate, "INCOMING", callId, Webhooks.Incoming(callId), TimeSpan.Zero));
            }

            return plan;
        }

        if (o.Mix == "idle")
        {
            // A quiet line: one ring, then nothing for a random 5-10 s (by default), so the poller has
            // always backed off to maxPollingInterval when the next ring comes — a popup's worst case.
            var (min, max) = o.IdleGapSeconds ?? (5, 10);
            var random = new Random(2026);
            var at = min + ((max - min) * random.NextDouble());
            for (var i = 0; at < o.Duration.TotalSeconds; i++)
            {
                var callId = $"idle-{run}-{i}";
                plan.Add(new Planned(at, "INCOMING", callId, Webhooks.Incoming(callId), TimeSpan.Zero));
                at += min + ((max - min) * random.NextDouble());
            }

            return plan;
        }

        // Whole answered calls: ring, answer 1 s later, hang-up 3 s after the ring, history 0.2 s after that.
        var calls = (int)Math.Round(o.Rate * o.Duration.TotalSeconds / 4);
        var offsets = new Dictionary<string, double> { ["INCOMING"] = 0, ["ACCEPTED"] = 1.0, ["COMPLETED"] = 3.0, ["history"] = 3.2 };
        for (var c = 0; c < calls; c++)
        {
            var callId = $"call-{run}-{c}";
            var start = c * 4 / o.Rate;
            foreach (var webhook in VatsScenarios.IncomingAnswered(callId, $"7910{c % 10_000_000:D7}", "alexey", "703", "127.0.0.1").Skip(1))
            {
                var type = webhook.Fields["cmd"] == "history" ? "history" : webhook.Fields["type"];
                var hold = type switch { "INCOMING" or "OUTGOING" => TimeSpan.Zero, "ACCEPTED" => endDelay / 2, _ => endDelay };
                plan.Add(new Planned(start + offsets[type], type, callId, Webhooks.Encode(webhook), hold));
            }
        }

        return [.. plan.OrderBy(p => p.At)];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The warm-up webhooks were not delivered.");
            }

            await Task.Delay(100);
        }
    }

    private static void Print(Dictionary<string, object> r)
    {
        Console.WriteLine($"  sent {r["webhooks"]} at {r["achieved_send_rate_per_s"]}/s (max sender lag {r["sender_max_lag_ms"]} ms), errors {r["send_errors"]}, missing {r["missing"]}, backlog when sending ended {r["queue_backlog_when_sending_ended"]}, left on the queue {r["left_on_queue_after_drain"]}, poisoned {r["poisoned"]}");
        foreach (var (type, value) in (Dictionary<string, object>)r["by_type"])
        {
            var t = (Dictionary<string, object>)value;
            var e = (Dictionary<string, double>)t["end_to_end"];
            var line = $"  {type,-10} e2e p50 {e["p50_ms"]} p95 {e["p95_ms"]} p99 {e["p99_ms"]} ms (held {t["held_on_queue_by_design_ms"]} ms by design)";
            if (t.TryGetValue("on_queue_beyond_hold", out var q))
            {
                var queue = (Dictionary<string, double>)q;
                var processing = (Dictionary<string, double>)t["processing"];
                line += $"; on queue mean {queue["mean_ms"]} ms, processing mean {processing["mean_ms"]} ms, queue share {t["queue_share_of_mean"]:P0}";
            }

            Console.WriteLine(line);
        }

        var rss = (Dictionary<string, double>)r["bridge_rss_mib"];
        var perWebhook = (Dictionary<string, double>)r["cpu_ms_per_webhook"];
        Console.WriteLine($"  {r["host"]} RSS max {rss["max_during_load"]} MiB (peak {rss["peak_since_start_vmhwm"]}); CPU ms/webhook {r["host"]} {perWebhook["bridge"]}, Azurite {perWebhook["azurite"]}; delivered {r["delivered_rate_per_s"]}/s");
        if (r.TryGetValue("storage_operations_per_webhook", out var ops))
        {
            Console.WriteLine($"  storage operations per webhook {ops}: {string.Join(", ", ((Dictionary<string, long>)r["storage_operations"]).Select(k => $"{k.Key} {k.Value}"))}");
        }
    }
}
