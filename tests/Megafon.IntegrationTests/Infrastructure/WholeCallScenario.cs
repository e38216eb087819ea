using Megafon.Simulators;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>One whole call as the PBX sends it, and the stages ELMA365 must end up with (<see cref="PipelineTests.Summary"/> form).</summary>
internal sealed record WholeCallScenario(string CallId, IReadOnlyList<VatsWebhook> Webhooks, IReadOnlyList<string> Expected)
{
    /// <summary>Answered calls, inbound and outbound in turn.</summary>
    public static List<WholeCallScenario> BothDirections(string prefix, int count, string recordingHost) =>
        [.. Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? new WholeCallScenario(
                $"{prefix}-in-{i}",
                [.. VatsScenarios.IncomingAnswered($"{prefix}-in-{i}", $"7916{i:D7}", "alexey", "703", recordingHost).Where(w => w.Fields["cmd"] != "contact")],
                ["NotifyStart/In/Unknown/703", "NotifyAnswer/In/Answered/703", "NotifyEnd/In/Answered/703", "record/In/Answered/703/95"])
            : new WholeCallScenario(
                $"{prefix}-out-{i}",
                VatsScenarios.Outgoing($"{prefix}-out-{i}", $"7903{i:D7}", "maria", "704", recordingHost),
                ["NotifyStart/Out/Unknown/704", "NotifyAnswer/Out/Answered/704", "NotifyEnd/Out/Answered/704", "record/Out/Answered/704/42"]))];

    /// <summary>
    /// Sends each call's webhooks in order, <paramref name="concurrency"/> calls at a time, webhook
    /// <c>j</c> of a call to intake <c>j % intakes.Count</c>; a 5xx is retried as the PBX retries.
    /// Every webhook must end up answered 200.
    /// </summary>
    public static async Task SendAsync(IReadOnlyList<WholeCallScenario> calls, IReadOnlyList<VatsWebhookSender> intakes, int concurrency)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < calls.Count)
            {
                var call = calls[index];
                for (var j = 0; j < call.Webhooks.Count; j++)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        using var response = await intakes[j % intakes.Count].SendAsync(call.Webhooks[j]);
                        if (response.IsSuccessStatusCode)
                        {
                            break;
                        }

                        Assert.True((int)response.StatusCode >= 500 && attempt < 20, $"{call.Webhooks[j].Describe()} of {call.CallId} answered {(int)response.StatusCode}");
                        await Task.Delay(200 * attempt);
                    }
                }
            }
        }));
    }
}
