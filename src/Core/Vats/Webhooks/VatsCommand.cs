namespace Megafon.Core.Vats.Webhooks;

/// <summary>A validated webhook from the PBX. Field names follow the PBX's own.</summary>
public abstract record VatsCommand
{
    /// <summary>The <c>cmd</c> value this command came as.</summary>
    public abstract string Name { get; }
}

/// <summary><c>cmd=event</c>: a call is ringing, answered, ended or moved.</summary>
public sealed record VatsCallEvent(
    string CallId,
    VatsEventType Type,
    string Phone,
    string? User,
    string? Ext,
    string? Telnum,
    string? Diversion,
    string? GroupRealName,
    VatsCallDirection? Direction,
    string? SecondCallId) : VatsCommand
{
    public override string Name => VatsCommandName.Event;
}

/// <summary><c>cmd=history</c>: the authoritative outcome of a finished call.</summary>
public sealed record VatsCallHistory(
    string CallId,
    VatsCallDirection Direction,
    VatsCallStatus Status,
    string RawStatus,
    string Phone,
    string? User,
    string? Ext,
    string? Telnum,
    string? Diversion,
    string? GroupRealName,
    string? Group,
    DateTimeOffset Start,
    int DurationSeconds,
    int? WaitSeconds,
    string? Link,
    string? Rating) : VatsCommand
{
    public override string Name => VatsCommandName.History;
}

/// <summary><c>cmd=contact</c>: the PBX asks, while the phone rings, whom the caller belongs to.</summary>
public sealed record VatsContactQuery(string Phone, string? CallId, string? Diversion) : VatsCommand
{
    public override string Name => VatsCommandName.Contact;
}

/// <summary><c>cmd=rating</c>: the score a client gave after the call.</summary>
public sealed record VatsCallRating(string CallId, string Rating, string? User, string? Ext, string? Phone) : VatsCommand
{
    public override string Name => VatsCommandName.Rating;
}
