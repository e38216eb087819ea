using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>
/// Faults of a real ELMA365 the bridge must survive: taking a push but answering only after the
/// bridge gave up on it (the answer is lost, the push was processed), and redirecting its webhook.
/// </summary>
public sealed partial class Elma365Simulator
{
    private readonly ConcurrentQueue<string> _lostAnswers = new();

    /// <summary>
    /// When set, every push is taken (recorded as received) at once and answered 200 only this
    /// much later: a slow ELMA365 that processes a push whose caller has stopped waiting.
    /// </summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>When set, every push is answered with this redirect status and <see cref="RedirectTo"/> as its Location.</summary>
    public int? RedirectStatus { get; set; }

    public Uri? RedirectTo { get; set; }

    /// <summary>The messageId (or call id) of every push that was taken but whose answer the bridge no longer waited for.</summary>
    public IReadOnlyList<string> LostAnswers => [.. _lostAnswers];

    private IResult? Redirect(HttpContext context)
    {
        if (RedirectStatus is not { } status)
        {
            return null;
        }

        Interlocked.Increment(ref _refused);
        context.Response.Headers.Location = RedirectTo?.ToString() ?? WebhookUrl.ToString();
        return Results.StatusCode(status);
    }

    // After the push was recorded: answer late, and note when nobody was left to hear it.
    private async Task AnswerLateAsync(HttpContext context, JsonObject message)
    {
        var delay = AnswerDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The bridge gave up: it will push this again, with the same messageId.
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            _lostAnswers.Enqueue(message["messageId"]?.GetValue<string>() ?? message["callId"]?.GetValue<string>() ?? "?");
        }
    }
}
