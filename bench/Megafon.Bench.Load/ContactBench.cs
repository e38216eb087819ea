using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Megafon.Core.Contacts;
using Megafon.Simulators;

namespace Megafon.Bench.Load;

internal sealed record ContactBenchOptions(
    int Known,
    int Unknown,
    TimeSpan Elma365Delay,
    TimeSpan Budget,
    int Concurrency,
    string Label,
    IDictionary<string, string>? DevHostSettings = null,
    int Warmup = 30);

/// <summary>
/// <c>contact</c> answered from ELMA365, as the PBX sees it: the time from sending the webhook to
/// having read the answer, for known and unknown callers, first cold (every number asked of the
/// ELMA365 simulator, which answers each request after <see cref="ContactBenchOptions.Elma365Delay"/>)
/// and then warm (the same numbers again, answered from the contacts table), against
/// <c>Contact__Budget</c>. Every answer is checked, and the warm pass must not reach ELMA365.
/// </summary>
internal static class ContactBench
{
    private const string ApiToken = "bench-elma365-api-token";
    private const int Users = 20;

    private sealed record Caller(string Phone, string? Name, string? Responsible);

    public static async Task<Dictionary<string, object>> RunAsync(ContactBenchOptions o)
    {
        var startedAt = DateTimeOffset.Now;
        var loadBefore = Report.LoadAverage();
        Console.WriteLine($"contact [{o.Label}]: {o.Known} known + {o.Unknown} unknown callers, cold then warm, concurrency {o.Concurrency}; ELMA365 answers after {o.Elma365Delay.TotalMilliseconds} ms; budget {o.Budget.TotalMilliseconds} ms; load {loadBefore}");

        await using var azurite = await Azurite.StartAsync($"azurite-contact-{o.Label}");
        await using var elma = await Elma365Simulator.StartAsync(Keys.Elma365Token);
        var (known, unknown, warmup) = Seed(elma.Api, o);

        var settings = new Dictionary<string, string>(o.DevHostSettings ?? new Dictionary<string, string>())
        {
            ["Elma365__ApiUrl"] = elma.BaseAddress.ToString(),
            ["Elma365__ApiToken"] = ApiToken,
            ["Elma365__ModuleCode"] = elma.Api.ModuleCode,
            ["Contact__Budget"] = o.Budget.ToString("c", CultureInfo.InvariantCulture),
        };
        var (devhost, address) = await DevHost.StartAsync($"devhost-contact-{o.Label}", azurite.ConnectionString, elma.WebhookUrl, new Uri("http://127.0.0.1:9/sys/crm_api.wcgp"), runQueueTriggers: false, settings);
        await using var _ = devhost;
        var webhook = new Uri(address, "api/vats/webhook");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(2, o.Concurrency) }) { Timeout = TimeSpan.FromSeconds(10) };

        // Both paths JIT-compiled and the connections open before anything is measured.
        await MeasureAsync(http, webhook, warmup, o.Concurrency);
        await WaitForCacheAsync(azurite.ConnectionString, warmup);
        await MeasureAsync(http, webhook, warmup, o.Concurrency);

        var listsBefore = elma.Api.ListRequestCount;
        var coldKnown = await MeasureAsync(http, webhook, known, o.Concurrency);
        var coldUnknown = await MeasureAsync(http, webhook, unknown, o.Concurrency);
        var coldLists = elma.Api.ListRequestCount - listsBefore;
        var cacheWait = Stopwatch.StartNew();
        await WaitForCacheAsync(azurite.ConnectionString, [.. known, .. unknown]);
        cacheWait.Stop();

        listsBefore = elma.Api.ListRequestCount;
        var bindingsBefore = elma.Api.BindingsRequestCount;
        var warmKnown = await MeasureAsync(http, webhook, known, o.Concurrency);
        var warmUnknown = await MeasureAsync(http, webhook, unknown, o.Concurrency);
        var warmLists = elma.Api.ListRequestCount - listsBefore;
        var warmBindings = elma.Api.BindingsRequestCount - bindingsBefore;

        var runs = new Dictionary<string, (Latencies Latency, int Wrong)>
        {
            ["cold_known"] = coldKnown,
            ["cold_unknown"] = coldUnknown,
            ["warm_known"] = warmKnown,
            ["warm_unknown"] = warmUnknown,
        };
        var wrong = runs.Values.Sum(r => r.Wrong);
        var result = new Dictionary<string, object>
        {
            ["what"] = "PBX contact webhook → answer read, DevHost with the lookup on, ELMA365 simulator on loopback",
            ["date"] = startedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            ["machine"] = Report.Machine(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = Report.LoadAverage(),
            ["devhost_settings"] = o.DevHostSettings ?? new Dictionary<string, string>(),
            ["known_callers"] = o.Known,
            ["unknown_callers"] = o.Unknown,
            ["concurrency"] = o.Concurrency,
            ["elma365_delay_ms"] = o.Elma365Delay.TotalMilliseconds,
            ["budget_ms"] = o.Budget.TotalMilliseconds,
            ["latency_ms"] = runs.ToDictionary(r => r.Key, r => r.Value.Latency.Summary()),
            ["wrong_answers"] = wrong,
            ["elma365_list_requests_cold"] = coldLists,
            ["elma365_list_requests_warm"] = warmLists,
            ["elma365_bindings_requests_warm"] = warmBindings,
            ["cache_rows_written_within_ms"] = Math.Round(cacheWait.Elapsed.TotalMilliseconds, 1),
        };

        Console.WriteLine(Report.Table(
            ["callers", "p50 ms", "p90 ms", "p99 ms", "max ms", "wrong answers"],
            runs.Select(r => new[]
            {
                r.Key.Replace('_', ' '), Report.F(r.Value.Latency.Percentile(50), 2), Report.F(r.Value.Latency.Percentile(90), 2),
                Report.F(r.Value.Latency.Percentile(99), 2), Report.F(r.Value.Latency.Max, 2), r.Value.Wrong.ToString(CultureInfo.InvariantCulture),
            })));
        Console.WriteLine($"cold p99 {Report.F(coldKnown.Latency.Percentile(99), 1)} ms against the {o.Budget.TotalMilliseconds} ms budget; warm p99 {Report.F(warmKnown.Latency.Percentile(99), 1)} ms (target ≤ 20 ms); ELMA365 list requests cold {coldLists}, warm {warmLists}");
        Report.Write($"contact-{o.Label}", result);
        return result;
    }

    /// <summary>Known callers with a responsible user who has a binding, unknown callers, and callers to warm up with.</summary>
    private static (List<Caller> Known, List<Caller> Unknown, List<Caller> Warmup) Seed(Elma365PublicApi api, ContactBenchOptions o)
    {
        api.Token = ApiToken;
        api.Delay = o.Elma365Delay;
        var users = Enumerable.Range(0, Users).Select(i => Guid.NewGuid().ToString()).ToList();
        for (var i = 0; i < Users; i++)
        {
            api.Bindings[(801 + i).ToString(CultureInfo.InvariantCulture)] = users[i];
        }

        List<Caller> Known(int count, int first)
        {
            var callers = new List<Caller>();
            for (var i = 0; i < count; i++)
            {
                var phone = (79160000000L + first + i).ToString(CultureInfo.InvariantCulture);
                var name = $"Клиент {first + i}";
                var user = (first + i) % Users;
                // Half the contacts stored as people type them, half as the API documents them.
                api.AddContact(name, [i % 2 == 0 ? $"8 ({phone[1..4]}) {phone[4..7]}-{phone[7..9]}-{phone[9..]}" : "+" + phone], [users[user]]);
                callers.Add(new Caller(phone, name, (801 + user).ToString(CultureInfo.InvariantCulture)));
            }

            return callers;
        }

        var known = Known(o.Known, 0);
        var warmup = Known(o.Warmup, 500_000);
        var unknown = Enumerable.Range(0, o.Unknown).Select(i => new Caller((79260000000L + i).ToString(CultureInfo.InvariantCulture), null, null)).ToList();
        return (known, unknown, warmup);
    }

    private static async Task<(Latencies Latency, int Wrong)> MeasureAsync(HttpClient http, Uri webhook, IReadOnlyList<Caller> callers, int concurrency)
    {
        var latencies = new Latencies();
        var wrong = 0;
        var next = -1;
        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < callers.Count)
            {
                var caller = callers[index];
                using var content = new ByteArrayContent(Webhooks.Encode(VatsScenarios.Contact($"bench-contact-{index}-{Guid.NewGuid():N}", caller.Phone)));
                content.Headers.ContentType = new MediaTypeHeaderValue(Webhooks.FormContentType);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(webhook, content);
                var body = await response.Content.ReadAsStringAsync();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var answer = JsonNode.Parse(body)!.AsObject();
                if (!response.IsSuccessStatusCode
                    || answer["contact_name"]?.GetValue<string>() != caller.Name
                    || answer["responsible"]?.GetValue<string>() != caller.Responsible)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => WorkerAsync()));
        return (latencies, wrong);
    }

    // Rows are written after the answer; the warm pass starts once every number has one.
    private static async Task WaitForCacheAsync(string storage, IReadOnlyCollection<Caller> callers)
    {
        var table = new TableClient(storage, ContactCache.TableName);
        var wanted = callers.Select(c => PhoneNumber.Canonical(c.Phone)!).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var have = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                have.Add(row.PartitionKey);
            }

            if (wanted.IsSubsetOf(have))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{wanted.Count - wanted.Intersect(have).Count()} of {wanted.Count} numbers have no cache row 60 s after their lookup.");
            }

            await Task.Delay(50);
        }
    }
}
