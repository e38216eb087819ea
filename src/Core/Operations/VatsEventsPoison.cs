using System.Text.Json;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Operations;

/// <summary>
/// <c>vats-events-poison</c>: webhooks ELMA365 refused or that kept failing. A replay puts a message
/// back as a first attempt with its original receipt time, so a popup is judged by the webhook's
/// real age; what the processor would only drop (delivered already, stale, a late popup) is not
/// put back but reported, and recorded in the call's row like any other drop.
/// </summary>
internal sealed class VatsEventsPoison(
    VatsEventQueues queues,
    UndecodedQueues undecoded,
    CallStore calls,
    RecordingLinkPolicy links,
    IOptions<ProcessingOptions> processing,
    TimeProvider time) : IPoisonSource
{
    public string Name => QueueNames.VatsEvents;

    public QueueClient Poison { get; } = undecoded.Get(QueueNames.VatsEventsPoison);

    public PoisonEntry Read(BinaryData stored)
    {
        var poisoned = ReadPoisoned(stored);
        var fields = poisoned.Message.Fields;
        return new PoisonEntry(poisoned.CallId, new Dictionary<string, object?>
        {
            ["callId"] = poisoned.CallId,
            ["cmd"] = fields.GetValueOrDefault("cmd"),
            ["type"] = fields.GetValueOrDefault("type"),
            ["phone"] = PhoneMask.Mask(fields.GetValueOrDefault("phone")),
            ["attempts"] = poisoned.Message.Attempt,
            ["receivedAt"] = poisoned.Message.ReceivedAt,
            ["poisonedAt"] = poisoned.PoisonedAt,
            ["reason"] = poisoned.Reason,
        }, poisoned);
    }

    public async Task<ReplayVerdict> JudgeAsync(PoisonEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var message = ((PoisonedMessage)entry.Payload).Message;
        if (!VatsWebhookParser.TryParse(new WebhookFields(message.Fields), out var command, out _) || entry.CallId is null)
        {
            // The processor poisons it again with its reason; the replay never picks that copy up.
            return ReplayVerdict.Replay;
        }

        var (state, _) = await calls.GetAsync(entry.CallId, cancellationToken).ConfigureAwait(false);
        var link = command is VatsCallHistory history ? links.Accept(history.Link) : null;
        var decision = CallPolicy.DecideAt(state, command!, link, message.ReceivedAt, time.GetUtcNow(), processing.Value.PopupLifetime);
        return decision switch
        {
            CallDecision.Duplicate => new ReplayVerdict.Drop("it reached ELMA365 already"),
            CallDecision.Stale s => new ReplayVerdict.Drop(s.Reason),
            _ => ReplayVerdict.Replay,
        };
    }

    public Task PutBackAsync(PoisonEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var message = ((PoisonedMessage)entry.Payload).Message;
        return queues.EnqueueAsync(message with { Attempt = 1 }, cancellationToken);
    }

    public async Task AccountDropAsync(PoisonEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var message = ((PoisonedMessage)entry.Payload).Message;
        if (entry.CallId is not null && VatsWebhookParser.TryParse(new WebhookFields(message.Fields), out var command, out _))
        {
            var key = CallPolicy.DedupeKey(command!);
            await calls.UpdateAsync(entry.CallId, s => s.Dropped.Contains(key) || s.Delivered.Contains(key) ? s : s.WithDropped(key), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A poisoned message as the processor wrote it, or one the Functions host moved there itself.</summary>
    internal static PoisonedMessage ReadPoisoned(BinaryData stored) => PoisonBody.Read(
        stored,
        body => JsonSerializer.Deserialize(body, BridgeJsonContext.Default.PoisonedMessage) is { Message: not null } poisoned ? poisoned : null,
        body =>
        {
            var bare = VatsEventQueues.Read(body);
            return new PoisonedMessage(bare, PoisonBody.MovedByHost, bare.ReceivedAt, bare.Fields.GetValueOrDefault("callid"));
        });
}
