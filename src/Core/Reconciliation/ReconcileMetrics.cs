using System.Diagnostics.Metrics;
using Megafon.Core.Diagnostics;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// The reconciliation's instruments, on the bridge's own meter (<see cref="BridgeMetrics.MeterName"/>):
/// the meter factory hands every caller of one name the same meter, so they export together.
/// </summary>
public sealed class ReconcileMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public ReconcileMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(BridgeMetrics.MeterName);
        _runs = meter.CreateCounter<long>("bridge.reconcile.runs", description: "Reconciliation runs, by outcome (completed, failed, skipped) and reason of a failure.");
        _calls = meter.CreateCounter<long>("bridge.reconcile.calls", description: "Calls of the PBX history a run examined, by what it did (Deliver, FillLink, Complete, InFlight, Recent, Deferred, Unreadable).");
        _duration = meter.CreateHistogram<double>("bridge.reconcile.duration", unit: "ms", description: "How long a reconciliation run took.");
    }

    public void Completed(ReconcileReport report, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(report);
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", "completed"));
        foreach (var (action, count) in report.Counts)
        {
            if (count > 0)
            {
                _calls.Add(count, new KeyValuePair<string, object?>("action", action.ToString()));
            }
        }

        _duration.Record(took.TotalMilliseconds);
    }

    public void Failed(string reason, TimeSpan took)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("outcome", "failed"), new KeyValuePair<string, object?>("reason", reason));
        _duration.Record(took.TotalMilliseconds);
    }

    public void Skipped() => _runs.Add(1, new KeyValuePair<string, object?>("outcome", "skipped"));
}
