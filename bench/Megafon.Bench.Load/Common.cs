using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megafon.Simulators;

namespace Megafon.Bench.Load;

/// <summary>The keys the bridge under test is configured with (loopback only, never real ones).</summary>
internal static class Keys
{
    public const string CrmToken = "bench-crm-token-0123456789";
    public const string VatsApiKey = "bench-pbx-key";
    public const string Elma365Token = "bench-elma365-key";
    public const string FunctionKey = "bench-function-key";
    public const string MasterKey = "bench-master-key";
}

/// <summary>The app settings of the bridge under test, as environment variables: its storage, the simulators, the keys above.</summary>
internal static class BridgeSettings
{
    public static Dictionary<string, string> For(string storageConnection, Uri elma365Webhook, Uri vatsEndpoint) => new()
    {
        ["AzureWebJobsStorage"] = storageConnection,
        ["Vats__Endpoint"] = vatsEndpoint.ToString(),
        ["Vats__ApiKey"] = Keys.VatsApiKey,
        ["Vats__CrmToken"] = Keys.CrmToken,
        ["Elma365__WebhookUrl"] = elma365Webhook.ToString(),
        ["Elma365__Token"] = Keys.Elma365Token,

        // As in Azure, the same value as the host key the module calls with.
        ["Elma365__ModuleKey"] = Keys.FunctionKey,
    };
}

/// <summary>Webhook bodies exactly as the PBX posts them (form-encoded, crm_token included).</summary>
internal static class Webhooks
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>An INCOMING ring with its own call id: the popup, what end-to-end latency is about.</summary>
    public static byte[] Incoming(string callId) => Encode(VatsScenarios.Event("INCOMING", callId, "79101234567", "alexey", "703"));

    public static byte[] Encode(VatsWebhook webhook)
    {
        using var content = VatsWebhookSender.Content(webhook, Keys.CrmToken);
        return content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    /// <summary>What ELMA365 receives for a webhook: call id plus event (or "callRecord").</summary>
    public static string ArrivalKey(JsonObject message) =>
        $"{message["callId"]}|{(message["kind"]?.GetValue<string>() == "callRecord" ? "callRecord" : message["event"]?.GetValue<string>())}";
}

/// <summary>Latencies of one run, in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly List<double> _ms = [];
    private double[]? _sorted;

    public int Count
    {
        get
        {
            lock (_ms)
            {
                return _ms.Count;
            }
        }
    }

    public void Add(double ms)
    {
        lock (_ms)
        {
            _ms.Add(ms);
            _sorted = null;
        }
    }

    private double[] Sorted()
    {
        lock (_ms)
        {
            return _sorted ??= [.. _ms.Order()];
        }
    }

    public double Percentile(double p)
    {
        var sorted = Sorted();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public double Mean => Sorted() is { Length: > 0 } s ? s.Average() : double.NaN;

    public double Max => Sorted() is { Length: > 0 } s ? s[^1] : double.NaN;

    public Dictionary<string, double> Summary() => new()
    {
        ["count"] = Count,
        ["mean_ms"] = Round(Mean),
        ["p50_ms"] = Round(Percentile(50)),
        ["p90_ms"] = Round(Percentile(90)),
        ["p95_ms"] = Round(Percentile(95)),
        ["p99_ms"] = Round(Percentile(99)),
        ["max_ms"] = Round(Max),
    };

    public static double Round(double value) => double.IsNaN(value) ? value : Math.Round(value, 2);
}

/// <summary>Results as a JSON file under bench/results and a line on the console.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write(string name, object result)
    {
        var path = Path.Combine(Repo.ResultsDir, $"{name}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(result, Indented));
        Console.WriteLine($"  → {Path.GetRelativePath(Repo.Root, path)}");
        return path;
    }

    public static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKiB = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores, {cpu}, {double.Parse(memKiB, CultureInfo.InvariantCulture) / 1024 / 1024:F1} GiB RAM";
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    public static string Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var sb = new StringBuilder();
        var h = header.ToList();
        sb.AppendLine("| " + string.Join(" | ", h) + " |");
        sb.AppendLine("|" + string.Concat(h.Select(_ => "---|")));
        foreach (var row in rows)
        {
            sb.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return sb.ToString();
    }

    public static string F(double value, int decimals = 1) =>
        double.IsNaN(value) ? "–" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
