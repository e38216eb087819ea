using System.Text.Json.Serialization;

namespace Megafon.Core.Vats.Api;

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<VatsAccount>))]
[JsonSerializable(typeof(List<VatsGroup>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
internal sealed partial class VatsApiJsonContext : JsonSerializerContext;
