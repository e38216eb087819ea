namespace Megafon.Core.Vats.Webhooks;

/// <summary>The outcome the PBX reports in <c>cmd=history</c>; anything it adds later is <see cref="Other"/>.</summary>
public enum VatsCallStatus
{
    Other,
    Success,
    Missed,
    Cancel,
    Busy,
    NotAvailable,
    NotAllowed,
    NotFound,
}
