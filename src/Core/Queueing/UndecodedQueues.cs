using System.Buffers;
using System.Buffers.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;

namespace Megafon.Core.Queueing;

/// <summary>
/// The storage queues with message bodies as stored, not Base64-decoded. The trigger's clients
/// throw on a body that is not Base64, and such a body does turn up: the Functions host moves a
/// message it cannot decode (host.json <c>messageEncoding</c>) to the poison queue as it is. Readers
/// that must cope with it (the poison admin, the DevHost's trigger) decode with <see cref="TryDecode"/>.
/// </summary>
public sealed class UndecodedQueues(IAzureClientFactory<QueueServiceClient> clients)
{
    /// <summary>The name of this client registration (AddBridgeStorage).</summary>
    public const string ClientName = "Undecoded";

    private readonly QueueServiceClient _queues = clients.CreateClient(ClientName);

    public QueueClient Get(string queueName) => _queues.GetQueueClient(queueName);

    /// <summary>The body a Base64 client would have returned; null when the stored text is not Base64.</summary>
    public static BinaryData? TryDecode(BinaryData stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var text = stored.ToMemory().Span;
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        return Base64.DecodeFromUtf8(text, decoded, out _, out var written) == OperationStatus.Done
            ? BinaryData.FromBytes(decoded.AsMemory(0, written))
            : null;
    }
}
