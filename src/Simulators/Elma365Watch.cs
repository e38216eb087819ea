using System.Net.Http.Json;
using System.Text.Json;

namespace Megafon.Simulators;

/// <summary>
/// Prints each message the ELMA365 simulator accepts as it arrives (GET elma365/arrivals?from=N,
/// asked every 200 ms), one line each; a blank line sets apart a message of another call than the
/// one before, so a call's messages read as a group.
/// </summary>
public static class Elma365Watch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>The number of messages the simulator holds now: where a watch starting now begins.</summary>
    public static async Task<int> CountAsync(HttpClient http, Uri elma, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var all = await http.GetFromJsonAsync<List<Elma365Arrival>>(new Uri(elma, "elma365/arrivals"), JsonSerializerOptions.Web, cancellationToken);
        return all?.Count ?? 0;
    }

    /// <summary>Prints every message from the <paramref name="from"/>th on, until cancelled.</summary>
    public static async Task RunAsync(HttpClient http, Uri elma, int from, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(output);
        string? lastCall = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var arrivals = await http.GetFromJsonAsync<List<Elma365Arrival>>(new Uri(elma, $"elma365/arrivals?from={from}"), JsonSerializerOptions.Web, cancellationToken) ?? [];
                foreach (var arrival in arrivals)
                {
                    var call = Elma365MessageLine.CallOf(arrival.Message);
                    if (lastCall is not null && call != lastCall)
                    {
                        await output.WriteLineAsync();
                    }

                    await output.WriteLineAsync(Elma365MessageLine.Format(arrival));
                    lastCall = call;
                }

                from += arrivals.Count;
                await output.FlushAsync(cancellationToken);
                await Task.Delay(Interval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The simulator is stopping with the rest of the run.
                return;
            }
        }
    }
}
