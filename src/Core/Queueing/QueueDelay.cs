namespace Megafon.Core.Queueing;

/// <summary>
/// A storage queue takes a message's visibility delay in whole seconds, and the SDK truncates: a
/// retry asked for in 800 ms was sent as 0 and came back at once, before the failure it waits out
/// could pass. Delays are rounded up instead, so a message never comes back sooner than asked.
/// </summary>
public static class QueueDelay
{
    public static TimeSpan? WholeSeconds(TimeSpan? delay)
    {
        if (delay is not { } wanted || wanted <= TimeSpan.Zero)
        {
            return delay;
        }

        var seconds = (wanted.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return TimeSpan.FromSeconds(seconds);
    }
}
