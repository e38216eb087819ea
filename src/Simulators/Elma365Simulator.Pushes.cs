using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>When each push began and ended, to see how many the bridge runs at once.</summary>
public sealed partial class Elma365Simulator
{
    private readonly ConcurrentQueue<Elma365Push> _pushes = new();

    /// <summary>Up to this much more than <see cref="Delay"/>, at random per request, so slow pushes end apart as real ones do.</summary>
    public TimeSpan DelayJitter { get; set; }

    /// <summary>Every accepted push: when its request came in and when its JSON had been read, in arrival order.</summary>
    public IReadOnlyList<Elma365Push> Pushes => [.. _pushes];

    /// <summary>The most pushes that were in progress at one moment.</summary>
    public static int MostAtOnce(IEnumerable<Elma365Push> pushes) =>
        pushes.SelectMany(p => new[] { (At: p.StartedAt, Step: 1), (At: p.ReadAt, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step)
            .Aggregate((Now: 0, Most: 0), (acc, e) => (acc.Now + e.Step, Math.Max(acc.Most, acc.Now + e.Step)))
            .Most;

    // Draws from the seeded random only with a jitter set, so failure sequences stay as they were.
    private TimeSpan NextDelay()
    {
        if (DelayJitter <= TimeSpan.Zero)
        {
            return Delay;
        }

        lock (_random)
        {
            return Delay + (DelayJitter * _random.NextDouble());
        }
    }

    private void RecordPush(DateTimeOffset started, JsonObject message) =>
        _pushes.Enqueue(new Elma365Push(started, DateTimeOffset.UtcNow, message["callId"]?.GetValue<string>()));
}

/// <summary>One accepted push: when the request came in, when its JSON had been read, and its call.</summary>
public sealed record Elma365Push(DateTimeOffset StartedAt, DateTimeOffset ReadAt, string? CallId);
