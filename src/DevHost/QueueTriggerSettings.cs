using System.Text.Json;

namespace Megafon.DevHost;

/// <summary>The queue trigger settings of host.json (extensions.queues), with the Functions defaults.</summary>
public sealed record QueueTriggerSettings(
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount)
{
    public static QueueTriggerSettings Load(string hostJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var queues = document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var q)
            ? q
            : default;

        var batchSize = Int(queues, "batchSize", 16);
        return new QueueTriggerSettings(
            Time(queues, "maxPollingInterval", TimeSpan.FromMinutes(1)),
            Time(queues, "visibilityTimeout", TimeSpan.Zero),
            batchSize,
            Int(queues, "newBatchThreshold", batchSize / 2),
            Int(queues, "maxDequeueCount", 5));
    }

    private static TimeSpan Time(JsonElement queues, string name, TimeSpan fallback) =>
        queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var value)
            ? TimeSpan.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : fallback;

    private static int Int(JsonElement queues, string name, int fallback) =>
        queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var value) ? value.GetInt32() : fallback;
}
