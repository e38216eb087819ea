namespace Megafon.Simulators;

/// <summary>What became of one played call's history webhook.</summary>
public sealed record PlayedCall(string CallId, VatsHistoryEntry Export, bool HistoryDropped, bool LinkOnlyInExport);

/// <summary>
/// Plays whole calls as the PBX does: posts their webhooks to the bridge in order and lists each
/// finished call in the PBX simulator's history export. Like a PBX behind a lossy path, it can lose
/// a share of its own <c>history</c> webhooks, and send a share of them without the recording link,
/// which only the export then has (the PBX publishes links minutes later, or its webhook never carried one).
/// </summary>
public sealed class VatsCallPlayer(VatsWebhookSender sender, VatsSimulator pbx, int seed = 13)
{
    private readonly Random _random = new(seed);

    /// <summary>Share of history webhooks never sent, from 0 to 1.</summary>
    public double DropHistory { get; init; }

    /// <summary>Share of history webhooks (of calls with a recording) sent without their link, from 0 to 1.</summary>
    public double LinkOnlyInExport { get; init; }

    /// <summary>
    /// Plays one call. Its history says it started at <paramref name="start"/> (the scenarios' fixed
    /// time would fall outside any reconciliation window); by default it ended a minute ago.
    /// </summary>
    public async Task<IReadOnlyList<PlayedCall>> PlayAsync(IReadOnlyList<VatsWebhook> webhooks, DateTimeOffset? start = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        var played = new List<PlayedCall>();
        foreach (var webhook in webhooks)
        {
            var toSend = webhook;
            if (webhook.Fields.GetValueOrDefault("cmd") == "history")
            {
                var fields = new Dictionary<string, string>(webhook.Fields)
                {
                    ["start"] = (start ?? DefaultStart(webhook)).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                };
                var export = VatsHistoryLog.FromWebhook(new VatsWebhook(fields));
                pbx.History.Add(export);

                bool drop, linkOnlyInExport;
                lock (_random)
                {
                    drop = _random.NextDouble() < DropHistory;
                    linkOnlyInExport = export.Record is not null && _random.NextDouble() < LinkOnlyInExport;
                }

                played.Add(new PlayedCall(export.CallId, export, drop, linkOnlyInExport && !drop));
                if (drop)
                {
                    continue;
                }

                if (linkOnlyInExport)
                {
                    fields.Remove("link");
                }

                toSend = new VatsWebhook(fields);
            }

            await SendAsync(toSend, cancellationToken);
        }

        return played;
    }

    /// <summary>Plays calls <paramref name="concurrency"/> at a time, each call's webhooks in order.</summary>
    public async Task<IReadOnlyList<PlayedCall>> PlayAllAsync(IEnumerable<IReadOnlyList<VatsWebhook>> calls, int concurrency = 16, CancellationToken cancellationToken = default)
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<PlayedCall>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (call, token) =>
        {
            foreach (var played in await PlayAsync(call, null, token))
            {
                results.Add(played);
            }
        });
        return [.. results];
    }

    // The PBX delivers again on a 5xx, as the bridge asks it to.
    private async Task SendAsync(VatsWebhook webhook, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await sender.SendAsync(webhook, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if ((int)response.StatusCode < 500 || attempt == 30)
            {
                throw new InvalidOperationException($"{webhook.Describe()} of {webhook.CallId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            await Task.Delay(200 * attempt, cancellationToken);
        }
    }

    private static DateTimeOffset DefaultStart(VatsWebhook history)
    {
        var seconds = int.Parse(history.Fields.GetValueOrDefault("wait", "0"), System.Globalization.CultureInfo.InvariantCulture)
            + int.Parse(history.Fields.GetValueOrDefault("duration", "0"), System.Globalization.CultureInfo.InvariantCulture);
        return DateTimeOffset.UtcNow.AddSeconds(-seconds).AddMinutes(-1);
    }
}
