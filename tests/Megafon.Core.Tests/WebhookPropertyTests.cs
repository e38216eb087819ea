using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Megafon.Core.Json;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;
using Megafon.Simulators;

namespace Megafon.Core.Tests;

/// <summary>
/// Whatever the PBX (or anyone) posts, the parser answers with a command or a named error and
/// never throws; and whatever it accepts survives the trip through the queue unchanged, so the
/// processor never meets a malformed message.
/// </summary>
public sealed class WebhookPropertyTests
{
    private static readonly string[] Codes = ["malformed_body", "missing_field", "invalid_field"];

    [Property(MaxTest = 3000)]
    public bool Mutated_pbx_webhooks_parse_or_fail_with_a_named_error_and_accepted_ones_round_trip(int seed) =>
        Holds(WebhookBody.Format.Form, VatsWebhookMutator.Bytes(seed, "crm-token-0123456789"));

    [Property(MaxTest = 1000)]
    public bool Arbitrary_bytes_never_break_the_parser(byte[] body, bool json) =>
        Holds(json ? WebhookBody.Format.Json : WebhookBody.Format.Form, body ?? []);

    [Property(MaxTest = 1000)]
    public Property Arbitrary_json_objects_of_fields_never_break_the_parser() =>
        Prop.ForAll(
            Gen.Zip(Gen.Elements("cmd", "type", "callid", "phone", "status", "start", "duration", "wait", "link", "direction", "second_callid", "x"), ArbMap.Default.GeneratorFor<string>())
                .ListOf()
                .Select(pairs => JsonSerializer.SerializeToUtf8Bytes(pairs.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2 ?? string.Empty), BridgeJsonContext.Default.DictionaryStringString))
                .ToArbitrary(),
            body => Holds(WebhookBody.Format.Json, body));

    private static bool Holds(WebhookBody.Format format, byte[] body)
    {
        if (!WebhookBody.TryRead(format, body, out var fields, out var bodyError))
        {
            return bodyError is { Code: "malformed_body", Message.Length: > 0 };
        }

        if (!VatsWebhookParser.TryParse(fields, out var command, out var error))
        {
            return error is { Message.Length: > 0 } && Codes.Contains(error.Code);
        }

        // What intake would queue, as the processor would read it back.
        var read = VatsEventQueues.Read(VatsEventQueues.Body(new VatsQueueMessage(fields.WithoutSecrets(), DateTimeOffset.UnixEpoch)));
        return !read.Fields.ContainsKey(WebhookFields.CrmToken)
            && VatsWebhookParser.TryParse(new WebhookFields(read.Fields), out var again, out _)
            && again == command;
    }
}
