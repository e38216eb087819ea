using System.Text.Json.Serialization;

namespace Megafon.Core.Elma365.Api;

// Reading is case-insensitive: ELMA365 writes camelCase, but a proxy or an older build may not.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Elma365ListRequest))]
[JsonSerializable(typeof(Elma365ListResponse))]
[JsonSerializable(typeof(Elma365VoipBindingsResponse))]
[JsonSerializable(typeof(Elma365AppSchemeResponse))]
internal sealed partial class Elma365ApiJsonContext : JsonSerializerContext;
