using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Bench.Micro;

/// <summary>The JSON the bridge writes: the queue message (intake) and the two ELMA365 messages (processor).</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private VatsQueueMessage _queueMessage = null!;
    private Elma365Message _event = null!;
    private Elma365Message _record = null!;
    private BinaryData _queueJson = BinaryData.Empty;

    [GlobalSetup]
    public void Setup()
    {
        WebhookBody.TryRead(WebhookBody.Format.Form, Samples.Bytes(Command.EventIncoming), out var incoming, out _);
        WebhookBody.TryRead(WebhookBody.Format.Form, Samples.Bytes(Command.History), out var history, out _);
        _queueMessage = new VatsQueueMessage(incoming.WithoutSecrets(), DateTimeOffset.UnixEpoch);
        _queueJson = VatsEventQueues.Body(_queueMessage);
        if (!VatsWebhookParser.TryParse(incoming, out var e, out _) || !VatsWebhookParser.TryParse(history, out var h, out _))
        {
            throw new InvalidOperationException("The samples do not parse.");
        }

        _event = Elma365Translator.Translate((VatsCallEvent)e!);
        _record = Elma365Translator.Translate((VatsCallHistory)h!, ((VatsCallHistory)h!).Link);
    }

    [Benchmark]
    public BinaryData QueueMessageToJson() => VatsEventQueues.Body(_queueMessage);

    [Benchmark]
    public VatsQueueMessage QueueMessageFromJson() => VatsEventQueues.Read(_queueJson);

    [Benchmark]
    public byte[] Elma365EventToJson() => JsonSerializer.SerializeToUtf8Bytes(_event, BridgeJsonContext.Default.Elma365Message);

    [Benchmark]
    public byte[] Elma365CallRecordToJson() => JsonSerializer.SerializeToUtf8Bytes(_record, BridgeJsonContext.Default.Elma365Message);
}
