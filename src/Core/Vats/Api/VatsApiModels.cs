using System.Text.Json.Serialization;

namespace Megafon.Core.Vats.Api;

/// <summary>A PBX user from <c>accounts</c>; <see cref="Name"/> is the login.</summary>
public sealed record VatsAccount(
    string Name,
    string? RealName,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? Ext,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? Telnum,
    string? Email);

/// <summary>A PBX department from <c>groups</c>; <see cref="Ext"/> comes as a number or a string.</summary>
public sealed record VatsGroup(
    string Id,
    string? RealName,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? Ext);

/// <summary>A call the PBX started; the id is kept when its answer carried one.</summary>
public sealed record VatsCallStarted(string? CallId);
