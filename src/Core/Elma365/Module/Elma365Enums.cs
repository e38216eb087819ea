namespace Megafon.Core.Elma365.Module;

// Names match ELMA365's telephony enums (VoipWebhookEvent, VoipCallDirection,
// VoipCallDisposition) so the companion module maps them by name.

public enum Elma365WebhookEvent
{
    NotifyStart,
    NotifyAnswer,
    NotifyEnd,
}

public enum Elma365CallDirection
{
    In,
    Out,
}

public enum Elma365CallDisposition
{
    Unknown,
    Answered,
    Busy,
    Cancel,
    NoAnswer,
}
