using System.Diagnostics.Metrics;

namespace Megafon.Core.Diagnostics;

/// <summary>
/// The bridge's counters, on a <see cref="Meter"/> named <see cref="MeterName"/> so OpenTelemetry
/// or Application Insights can collect them.
/// </summary>
public sealed class BridgeMetrics : IDisposable
{
    public const string MeterName = "Megafon.Bridge";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _poisoned;
    private readonly Counter<long> _replayed;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _contactLookups;
    private readonly Histogram<double> _contactDuration;

    public BridgeMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("bridge.webhooks.accepted", description: "PBX webhooks accepted, by command.");
        _rejected = _meter.CreateCounter<long>("bridge.webhooks.rejected", description: "PBX webhooks refused, by reason.");
        _pushes = _meter.CreateCounter<long>("bridge.elma365.pushes", description: "Messages handled by the processor, by outcome.");
        _poisoned = _meter.CreateCounter<long>("bridge.poisoned", description: "Messages moved to the poison queue.");
        _replayed = _meter.CreateCounter<long>("bridge.replayed", description: "Poisoned messages put back on the queue by an admin.");
        _latency = _meter.CreateHistogram<double>("bridge.end_to_end.latency", unit: "ms", description: "Webhook received → ELMA365 accepted.");
        _contactLookups = _meter.CreateCounter<long>("bridge.contact.lookups", description: "PBX contact queries answered from ELMA365, by outcome (hit, miss, cached, stale, failed, skipped) and reason.");
        _contactDuration = _meter.CreateHistogram<double>("bridge.contact.duration", unit: "ms", description: "Time to answer a PBX contact query, by outcome.");
    }

    public void WebhookAccepted(string command) => _accepted.Add(1, new KeyValuePair<string, object?>("command", command));

    public void WebhookRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Processed(string outcome) => _pushes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Poisoned(string reason) => _poisoned.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Replayed(int count) => _replayed.Add(count);

    public void Delivered(TimeSpan endToEnd) => _latency.Record(endToEnd.TotalMilliseconds);

    public void ContactLookup(string outcome, string? reason, TimeSpan elapsed)
    {
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _contactLookups.Add(1, outcomeTag, new KeyValuePair<string, object?>("reason", reason ?? "none"));
        _contactDuration.Record(elapsed.TotalMilliseconds, outcomeTag);
    }

    public void Dispose() => _meter.Dispose();
}
