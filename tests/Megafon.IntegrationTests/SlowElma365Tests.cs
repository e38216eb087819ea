using Megafon.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Megafon.IntegrationTests;

/// <summary>A 5-second push budget, so a slow ELMA365 outlasts it in seconds; retries spaced a second or two apart.</summary>
public class SlowElma365Fixture : BridgeFixture
{
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Elma365:Timeout", "00:00:05"),
        new("Processing:CallLease", "00:00:15"),
        new("Processing:FirstRetryDelay", "00:00:01"),
        new("Processing:MaxRetryDelay", "00:00:03"),
        new("Processing:MaxAttempts", "30"),
    ];
}

public sealed class FunctionsHostSlowElma365Fixture : SlowElma365Fixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>
/// ELMA365 takes every push but answers only after the bridge gave up on it, for a while, then
/// answers normally (issue 11). Each push whose answer was lost comes again with the same
/// messageId; nothing else arrives twice, every call ends with its record, and no card opens after
/// its call ended.
/// </summary>
public abstract class SlowElma365Tests(SlowElma365Fixture bridge, ITestOutputHelper output)
{
    [Fact]
    public async Task Whole_calls_in_both_directions_arrive_once_each_unless_an_answer_was_lost_and_no_card_opens_after_its_end()
    {
        var slow = WholeCallScenario.BothDirections("slow", 6, bridge.RecordingHost);
        var after = WholeCallScenario.BothDirections("after", 4, bridge.RecordingHost);
        bridge.Elma365.AnswerDelay = SlowElma365Fixture.PushTimeout + TimeSpan.FromSeconds(2);
        try
        {
            await WholeCallScenario.SendAsync(slow, [bridge.Pbx], concurrency: 6);
            await Task.Delay(TimeSpan.FromSeconds(15));
        }
        finally
        {
            bridge.Elma365.AnswerDelay = TimeSpan.Zero;
        }

        await WholeCallScenario.SendAsync(after, [bridge.Pbx], concurrency: 4);

        // Read when asked: a push taken just before ELMA365 sped up loses its answer seconds later.
        foreach (var call in slow.Concat(after))
        {
            await WholeCall.AssertDeliveredAsync(bridge, call.CallId, call.Expected, TimeSpan.FromSeconds(90), id => bridge.Elma365.LostAnswers.Count(l => l == id));
        }

        var lost = bridge.Elma365.LostAnswers;
        output.WriteLine($"{bridge.HostKind}: {lost.Count} answers lost, {bridge.Elma365.ReceivedCount} pushes taken");
        Assert.NotEmpty(lost);

        // Once ELMA365 answers in time again, nothing arrives twice.
        Assert.All(after, call => Assert.DoesNotContain(lost, l => l.StartsWith(call.CallId + "|", StringComparison.Ordinal)));
    }
}

public sealed class SlowElma365TestsOnDevHost(SlowElma365Fixture bridge, ITestOutputHelper output)
    : SlowElma365Tests(bridge, output), IClassFixture<SlowElma365Fixture>;

public sealed class SlowElma365TestsOnFunctionsHost(FunctionsHostSlowElma365Fixture bridge, ITestOutputHelper output)
    : SlowElma365Tests(bridge, output), IClassFixture<FunctionsHostSlowElma365Fixture>;
