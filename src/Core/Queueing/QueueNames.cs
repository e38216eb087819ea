namespace Megafon.Core.Queueing;

/// <summary>Storage names shared by the functions, the DevHost and the infrastructure.</summary>
public static class QueueNames
{
    public const string VatsEvents = "vats-events";

    // The queue trigger moves a message here after maxDequeueCount failed attempts.
    public const string VatsEventsPoison = VatsEvents + "-poison";
}
