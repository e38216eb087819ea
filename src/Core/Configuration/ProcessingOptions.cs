using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>How hard the processor tries before a message goes to the poison queue.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>Attempts at pushing one message while ELMA365 is down; docs/configuration.md gives the delays this makes.</summary>
    [Range(1, 100, ErrorMessage = "Processing__MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 14;

    /// <summary>The first retry delay; each further one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Processing__FirstRetryDelay must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "06:00:00", ErrorMessage = "Processing__MaxRetryDelay must be between 00:00:00.010 and 06:00:00.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Must equal host.json's queues.maxDequeueCount: on the last dequeue the processor poisons with a reason itself.</summary>
    [Range(1, 100, ErrorMessage = "Processing__MaxDequeueCount must be between 1 and 100 and match host.json.")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// How long an ending webhook (COMPLETED, CANCELLED, TRANSFERRED) stays invisible on the
    /// queue; an ACCEPTED waits half as long, a ringing one not at all, a history half as long again. A call's webhooks
    /// can arrive milliseconds apart and are processed concurrently; staging them on the queue
    /// lets the ring go first and the end last, so a card never closes before it opens. Half of it
    /// must exceed host.json's maxPollingInterval, or an idle poller takes two stages in one batch.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Processing__EndEventDelay must be between 00:00:00 and 00:01:00.")]
    public TimeSpan EndEventDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one message may hold a call (while it pushes or waits to retry) before the call's
    /// next message may overtake it. It must outlast a whole push (<c>Elma365__Timeout</c>) with
    /// <see cref="CallLeaseMargin"/> to spare; start-up checks (<see cref="ProcessingOptionsValidator"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Processing__CallLease must be between 00:00:01 and 00:10:00.")]
    public TimeSpan CallLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most two instances' clocks may differ. A claim and a place in the call's queue are
    /// stamped with the clock of the instance that wrote them and read by others: another instance
    /// takes a claim as expired only after <see cref="CallLease"/> plus this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Processing__ClockSkew must be between 00:00:00 and 00:01:00.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A ring (NotifyStart) or an answer (NotifyAnswer) whose webhook is older than this when its
    /// push would start is dropped instead: a card that pops up minutes after the phone rang is
    /// noise, most such calls are over, and the call's end and history still arrive. Late pushes
    /// come from an ELMA365 outage, or from messages a killed instance held for the host's lease.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Processing__PopupLifetime must be between 00:00:10 and 01:00:00.")]
    public TimeSpan PopupLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an answer or an end whose call has not rung yet (no ring delivered, dropped or
    /// pushing) waits for the ring, counted from its own webhook. Behind a backlog the queue's
    /// staging no longer keeps the stages apart, and the PBX does not always say a call's
    /// direction after the ring: pushed first, an outbound call's answer would open an inbound
    /// card before its ring. A ring that never comes (lost by the PBX, held by a killed instance)
    /// delays the answer by this much at most.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Processing__RingWait must be between 00:00:00 and 00:01:00.")]
    public TimeSpan RingWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What a call's lease must leave besides the push itself: the claim's write, the writes and enqueue before the push.</summary>
    public static readonly TimeSpan CallLeaseMargin = TimeSpan.FromSeconds(10);
}
