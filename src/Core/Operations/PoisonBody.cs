using System.Text.Json;
using Megafon.Core.Queueing;

namespace Megafon.Core.Operations;

/// <summary>
/// Reads a poison queue's message whoever put it there: the bridge, in its envelope with a reason,
/// or the Functions host itself, as the bare queue message (after maxDequeueCount failures the
/// bridge could not record a reason for, or as written when it was not Base64, then not even tried).
/// </summary>
internal static class PoisonBody
{
    public const string MovedByHost = "Moved to poison by the Functions host (it failed maxDequeueCount times, or was not Base64); no reason was recorded.";

    /// <param name="envelope">The bridge's envelope, or null when the body is not one.</param>
    /// <param name="bare">The bare queue message, wrapped with <see cref="MovedByHost"/>.</param>
    public static T Read<T>(BinaryData stored, Func<BinaryData, T?> envelope, Func<BinaryData, T> bare)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stored);
        var body = UndecodedQueues.TryDecode(stored) ?? stored;
        try
        {
            if (envelope(body) is { } poisoned)
            {
                return poisoned;
            }
        }
        catch (JsonException)
        {
            // Not the bridge's envelope: the bare message below.
        }

        return bare(body);
    }
}
