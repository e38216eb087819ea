using System.Diagnostics.Metrics;
using Megafon.Core.Diagnostics;

namespace Megafon.Core.Recordings;

/// <summary>The archiver's counters, on the bridge's meter (<see cref="BridgeMetrics.MeterName"/>).</summary>
public sealed class RecordingMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _bytes;

    public RecordingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(BridgeMetrics.MeterName);
        _handled = _meter.CreateCounter<long>("bridge.recordings", description: "Recording archive requests handled, by outcome.");
        _bytes = _meter.CreateCounter<long>("bridge.recordings.bytes", unit: "By", description: "Bytes of recordings archived.");
    }

    public void Handled(ArchiveOutcome outcome) => _handled.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void Archived(long bytes) => _bytes.Add(bytes);

    public void Dispose() => _meter.Dispose();
}
