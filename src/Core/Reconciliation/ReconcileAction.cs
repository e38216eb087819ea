namespace Megafon.Core.Reconciliation;

/// <summary>What one run does about one call of the PBX's history; also the metric tag.</summary>
public enum ReconcileAction
{
    /// <summary>ELMA365 has no record of the call: queue the PBX's history as its webhook.</summary>
    Deliver,

    /// <summary>The record went out without its recording link and the PBX now has one: queue the history to store it.</summary>
    FillLink,

    /// <summary>Nothing to do: recorded, with its link or with none to be had.</summary>
    Complete,

    /// <summary>A delivery is already under way (a webhook retrying through an ELMA365 outage, or an earlier run's message).</summary>
    InFlight,

    /// <summary>Ended moments ago: left to its own history webhook, which the next run checks on.</summary>
    Recent,

    /// <summary>Over this run's delivery budget: the next run queues it.</summary>
    Deferred,

    /// <summary>A line of the export the bridge cannot turn into a history webhook.</summary>
    Unreadable,
}
