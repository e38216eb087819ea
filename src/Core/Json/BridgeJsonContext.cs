using System.Text.Json.Serialization;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Queueing;

namespace Megafon.Core.Json;

/// <summary>
/// Source-generated JSON for every message the bridge writes: no reflection on the hot path,
/// camelCase names, enums by name, nulls left out.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Elma365Message))]
[JsonSerializable(typeof(VatsQueueMessage))]
[JsonSerializable(typeof(PoisonedMessage))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class BridgeJsonContext : JsonSerializerContext;
