using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Which failed pushes are tried again at once, in-process: only those ELMA365 certainly did not
/// take — the connection could not be made, or it answered 503, 429 or 408 and asked to wait at
/// most <see cref="MaxRetryAfter"/>. A push that timed out, or whose connection broke after the
/// request went out, or that got a 500, 502 or 504 (a proxy may have passed it on), may have been
/// taken: it goes back to the queue, which tries again later with the same messageId. So does a
/// longer Retry-After, which the queue honours. All of it runs within one budget, Elma365__Timeout.
/// </summary>
public static class Elma365PushRetry
{
    /// <summary>The longest Retry-After waited out in-process; a longer one is the queue's.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);

    public static HttpRetryStrategyOptions Options() => new()
    {
        MaxRetryAttempts = 2,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = MaxRetryAfter,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => new ValueTask<bool>(!args.Context.CancellationToken.IsCancellationRequested && NotTaken(args.Outcome)),
        DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result)),
    };

    /// <summary>True when ELMA365 certainly did not take the push and asked for no longer a wait than we keep in-process.</summary>
    public static bool NotTaken(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } } => true,
        { Exception: not null } => false,
        { Result: { } response } => response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            && (RetryAfter(response) ?? TimeSpan.Zero) <= MaxRetryAfter,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
