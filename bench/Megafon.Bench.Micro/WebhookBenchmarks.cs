using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Megafon.Core.Calls;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Bench.Micro;

/// <summary>
/// The CPU work of one webhook, per command, without I/O:
/// <list type="bullet">
/// <item><see cref="ParseValidateTranslate"/>: body → fields → token check → validated command → ELMA365 message.</item>
/// <item><see cref="Intake"/>: everything VatsWebhookIntake does besides the enqueue call (content type, body, token, fields, the queue message's JSON).</item>
/// <item><see cref="Processor"/>: everything VatsEventProcessor does besides storage and HTTP (queue message JSON → command → link check → ELMA365 JSON).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
    private static readonly RecordingLinkPolicy Links = new(Samples.Options);

    private byte[] _body = [];
    private BinaryData _queued = BinaryData.Empty;

    [Params(Command.EventIncoming, Command.EventAccepted, Command.EventTransferred, Command.History, Command.Contact, Command.Rating)]
    public Command Command { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Samples.Bytes(Command);
        if (!WebhookBody.TryRead(WebhookBody.Format.Form, _body, out var fields, out var error))
        {
            throw new InvalidOperationException(error!.Message);
        }

        var message = new VatsQueueMessage(fields.WithoutSecrets(), ReceivedAt);
        _queued = VatsEventQueues.Body(message);
        if (ParseValidateTranslate() is null || Intake() is null)
        {
            throw new InvalidOperationException($"The {Command} sample does not pass the intake.");
        }
    }

    [Benchmark]
    public object? ParseValidateTranslate()
    {
        if (!WebhookBody.TryRead(WebhookBody.Format.Form, _body, out var fields, out _)
            || !Samples.Tokens.IsValid(fields.Optional(WebhookFields.CrmToken))
            || !VatsWebhookParser.TryParse(fields, out var command, out _))
        {
            return null;
        }

        return command switch
        {
            VatsCallEvent e => Elma365Translator.Translate(e),
            VatsCallHistory h => Elma365Translator.Translate(h, h.Link),
            _ => command,
        };
    }

    [Benchmark]
    public object? Intake()
    {
        if (WebhookBody.DetectFormat(Samples.FormContentType) is not { } format
            || !WebhookBody.TryRead(format, _body, out var fields, out _)
            || !Samples.Tokens.IsValid(fields.Optional(WebhookFields.CrmToken))
            || !VatsWebhookParser.TryParse(fields, out var command, out _))
        {
            return null;
        }

        return command is VatsContactQuery
            ? command
            : VatsEventQueues.Body(new VatsQueueMessage(fields.WithoutSecrets(), ReceivedAt));
    }

    [Benchmark]
    public object? Processor()
    {
        var message = VatsEventQueues.Read(_queued);
        if (!VatsWebhookParser.TryParse(new WebhookFields(message.Fields), out var command, out _))
        {
            return null;
        }

        Elma365Message? push = command switch
        {
            VatsCallEvent e => Elma365Translator.Translate(e),
            VatsCallHistory h => Elma365Translator.Translate(h, Links.Accept(h.Link)),
            _ => null, // contact is never queued; a rating is recorded, not pushed
        };
        return push is null ? command : JsonSerializer.SerializeToUtf8Bytes(push, BridgeJsonContext.Default.Elma365Message);
    }
}
