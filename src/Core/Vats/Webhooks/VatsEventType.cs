namespace Megafon.Core.Vats.Webhooks;

/// <summary>The <c>type</c> of a <c>cmd=event</c> webhook: one moment in a call's life.</summary>
public enum VatsEventType
{
    Incoming,
    Accepted,
    Completed,
    Cancelled,
    Outgoing,
    Transferred,
}
