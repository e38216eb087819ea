using System.Collections.Concurrent;
using System.Net;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;
using Xunit.Abstractions;

namespace Megafon.IntegrationTests;

public sealed class AzuriteRestartFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("DevHost:MessageLease", "00:00:15")];
}

/// <summary>
/// The storage goes away mid-run and comes back: what the PBX was told is accepted must arrive.
/// On the DevHost only: it shortens the lease of a running message (DevHost__MessageLease), which
/// the Functions host keeps at 10 minutes, so a message whose failure could not be recorded while
/// storage was down comes back within the test.
/// </summary>
public sealed class AzuriteRestartTests(AzuriteRestartFixture bridge, ITestOutputHelper output) : IClassFixture<AzuriteRestartFixture>
{
    [Fact]
    public async Task Nothing_answered_200_is_lost_when_storage_restarts_and_the_pbx_gets_5xx_for_the_rest()
    {
        const int Webhooks = 300;
        var statuses = new ConcurrentDictionary<string, HttpStatusCode>();
        var sent = 0;
        var restarted = Task.CompletedTask;

        await Parallel.ForEachAsync(Enumerable.Range(0, Webhooks), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            if (Interlocked.Increment(ref sent) == Webhooks / 3)
            {
                restarted = RestartAsync();
            }

            var callId = $"az-{i}";
            using var response = await bridge.Pbx.SendAsync(VatsScenarios.Event("INCOMING", callId, "79101234567", "alexey", "703"), token);
            statuses[callId] = response.StatusCode;
            await Task.Delay(20, token);
        });
        await restarted;

        var accepted = statuses.Where(s => s.Value == HttpStatusCode.OK).Select(s => s.Key).ToHashSet();
        var refused = statuses.Where(s => s.Value != HttpStatusCode.OK).ToList();
        output.WriteLine($"azurite restart: {accepted.Count} accepted, {refused.Count} refused ({string.Join(", ", refused.Select(r => (int)r.Value).Distinct())})");

        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Value));
        IReadOnlyList<System.Text.Json.Nodes.JsonObject> received;
        try
        {
            received = await bridge.Elma365.WaitForAsync(r => accepted.All(id => r.Any(m => m["callId"]!.GetValue<string>() == id)), TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            var arrived = bridge.Elma365.Received.Select(m => m["callId"]!.GetValue<string>()).ToHashSet();
            output.WriteLine($"missing: {string.Join(", ", accepted.Where(id => !arrived.Contains(id)))}; queued {await BridgeFixture.QueuedCountAsync(bridge.Events)}, poisoned {await BridgeFixture.QueuedCountAsync(bridge.Poison)}");
            throw;
        }

        // At least once: a push whose record could not be written while storage was down may
        // repeat (the processor retries that write for ~30 s, so it takes a longer outage).
        Assert.All(accepted, id => Assert.Contains(received, m => m["callId"]!.GetValue<string>() == id));
        output.WriteLine($"azurite restart: delivered twice {received.GroupBy(m => m["callId"]!.GetValue<string>()).Count(g => g.Count() > 1)}");

        // The PBX delivers again what it was refused; that arrives too.
        await bridge.SendAllAsync(refused.Select(r => VatsScenarios.Event("INCOMING", r.Key, "79101234567", "alexey", "703")));
        await bridge.Elma365.WaitForAsync(r => refused.All(f => r.Any(m => m["callId"]!.GetValue<string>() == f.Key)), TimeSpan.FromSeconds(30));
    }

    private async Task RestartAsync()
    {
        await bridge.Azurite.StopAsync(graceful: true);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await bridge.Azurite.StartAgainAsync();
    }
}
