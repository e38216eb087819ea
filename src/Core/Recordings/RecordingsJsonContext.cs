using System.Text.Json.Serialization;

namespace Megafon.Core.Recordings;

/// <summary>Source-generated JSON for the <c>recordings</c> queue, named like the bridge's other messages.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordingQueueMessage))]
[JsonSerializable(typeof(PoisonedRecording))]
internal sealed partial class RecordingsJsonContext : JsonSerializerContext;
