using System.Text.Json.Serialization;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// What the processor pushes to the ELMA365 module webhook. The JSON names are a contract with
/// the companion module script (elma365/), checked by the contract test.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Elma365CallEvent), "event")]
[JsonDerivedType(typeof(Elma365CallRecord), "callRecord")]
public abstract record Elma365Message(string CallId)
{
    /// <summary>
    /// The push's identity: the same for every attempt at it (in-process, from the queue, after a
    /// replay), different for every other push. When ELMA365 took a push but its answer was lost
    /// the retry arrives again with the same id; the module stores it in the record's <c>call</c>.
    /// </summary>
    public string? MessageId { get; init; }

    /// <summary>The call, and what the push is about (the dedupe key: command, type, member).</summary>
    public static string IdFor(string callId, string dedupeKey) => $"{callId}|{dedupeKey}";
}

/// <summary>A popup-card notification: ringing, answered, ended.</summary>
public sealed record Elma365CallEvent(
    string CallId,
    Elma365WebhookEvent Event,
    Elma365CallDirection Direction,
    string SrcPhone,
    string DstPhone,
    Elma365CallDisposition Disposition) : Elma365Message(CallId)
{
    /// <summary>The PBX login of the leg this event is about, for mapping onto an ELMA365 user.</summary>
    public string? User { get; init; }

    /// <summary>For a transfer: the call id the conversation continues under.</summary>
    public string? SecondCallId { get; init; }
}

/// <summary>A finished call for the history, with its recording link when there is one.</summary>
public sealed record Elma365CallRecord(
    string CallId,
    string SrcPhone,
    string DstPhone,
    Elma365CallDirection Direction,
    int Duration,
    Elma365CallDisposition Disposition,
    DateTimeOffset StartedAt,
    string? Link,
    Elma365CallData Call) : Elma365Message(CallId)
{
    public string? User { get; init; }
}

/// <summary>What ELMA365 stores with the call and hands back to VoipGetCallLink.</summary>
public sealed record Elma365CallData(string Id, string? Link);
