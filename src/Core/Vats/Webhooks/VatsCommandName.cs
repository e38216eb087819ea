namespace Megafon.Core.Vats.Webhooks;

/// <summary>The <c>cmd</c> values the PBX sends to the CRM webhook.</summary>
public static class VatsCommandName
{
    public const string Event = "event";
    public const string History = "history";
    public const string Contact = "contact";
    public const string Rating = "rating";
}
