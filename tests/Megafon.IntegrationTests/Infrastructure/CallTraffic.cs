using Megafon.Simulators;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>
/// Realistic PBX traffic for load and fault tests: a mix of whole calls, with a share of
/// webhooks sent twice and a share swapped with the next one, as the live PBX does.
/// </summary>
internal static class CallTraffic
{
    public static List<List<VatsWebhook>> Generate(int webhooks, double duplicated, double reordered, string recordingHost, int seed)
    {
        var random = new Random(seed);
        var calls = new List<List<VatsWebhook>>();
        var total = 0;
        for (var n = 0; total < webhooks; n++)
        {
            var id = $"soak-{seed}-{n}";
            var phone = $"79{random.Next(100000000, 999999999)}";
            var pick = random.NextDouble();
            IReadOnlyList<VatsWebhook> call = pick switch
            {
                < 0.40 => VatsScenarios.IncomingAnswered(id, phone, "alexey", "703", recordingHost).Where(w => w.Fields["cmd"] != "contact").ToList(),
                < 0.60 => VatsScenarios.IncomingMissedViaGroup(id, phone, [("alexey", "703"), ("maria", "704")]),
                < 0.75 => VatsScenarios.IncomingAnsweredViaGroup(id, phone, ("maria", "704"), [("alexey", "703")], recordingHost),
                < 0.92 => VatsScenarios.Outgoing(id, phone, "maria", "704", recordingHost),
                _ => VatsScenarios.Transferred(id, id + "-t", phone, ("alexey", "703"), ("maria", "704"), recordingHost),
            };

            var webhooksOfCall = call.ToList();
            for (var i = 0; i + 1 < webhooksOfCall.Count; i++)
            {
                if (random.NextDouble() < reordered)
                {
                    (webhooksOfCall[i], webhooksOfCall[i + 1]) = (webhooksOfCall[i + 1], webhooksOfCall[i]);
                    i++;
                }
            }

            for (var i = webhooksOfCall.Count - 1; i >= 0; i--)
            {
                if (random.NextDouble() < duplicated)
                {
                    webhooksOfCall.Insert(Math.Min(webhooksOfCall.Count, i + 1 + random.Next(0, 2)), webhooksOfCall[i]);
                }
            }

            calls.Add(webhooksOfCall);
            total += webhooksOfCall.Count;
        }

        return calls;
    }

    /// <summary>Sends calls concurrently, each call's webhooks in order; a 5xx is retried as the PBX retries.</summary>
    public static async Task<(int Accepted, int Retried)> SendAsync(VatsWebhookSender sender, IReadOnlyList<List<VatsWebhook>> calls, int concurrency, Action<int>? progress = null)
    {
        var next = -1;
        var accepted = 0;
        var retried = 0;
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < calls.Count)
            {
                foreach (var webhook in calls[index])
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        using var response = await sender.SendAsync(webhook);
                        if (response.IsSuccessStatusCode)
                        {
                            Interlocked.Increment(ref accepted);
                            break;
                        }

                        if ((int)response.StatusCode < 500 || attempt == 30)
                        {
                            throw new InvalidOperationException($"{webhook.Describe()} of {webhook.CallId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        }

                        Interlocked.Increment(ref retried);
                        await Task.Delay(200 * attempt);
                    }

                    progress?.Invoke(Interlocked.Increment(ref sent));
                }
            }
        }));
        return (accepted, retried);
    }
}
