using System.Net;
using System.Text;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Pushes messages to the ELMA365 module webhook. One budget, <c>Elma365__Timeout</c>, bounds the
/// whole push: finding the address, the request and the in-process retries of pushes ELMA365
/// certainly did not take (<see cref="Elma365PushRetry"/>), and reading a refusal's reason. What
/// still fails surfaces as <see cref="Elma365DeliveryException"/> for the queue to retry later.
/// </summary>
public sealed class Elma365ModuleClient(HttpClient http, Elma365WebhookAddresses addresses, IOptions<Elma365Options> options, TimeProvider time)
{
    // Enough of a refusal's body to explain it in the poison reason, never the whole page.
    private const int SnippetBytes = 4096;

    private readonly Elma365Options _options = options.Value;

    /// <summary>The most one push takes, retries included.</summary>
    public TimeSpan Budget => _options.Timeout;

    /// <param name="message">What to push.</param>
    /// <param name="webhookReceivedAt">When the PBX webhook behind it arrived: a young one refused with 401/403/404 waits for the module's new address.</param>
    /// <param name="cancellationToken">Stops the push (the host shutting down).</param>
    public async Task PushAsync(Elma365Message message, DateTimeOffset webhookReceivedAt, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await PushWithinAsync(message, webhookReceivedAt, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            throw new Elma365DeliveryException(
                $"ELMA365 did not answer within Elma365__Timeout ({_options.Timeout:c}). It may still have taken the push; the retry carries the same messageId.",
                null, isTransient: true, inner: e)
            { AnswerMayBeLost = true };
        }
    }

    private async Task PushWithinAsync(Elma365Message message, DateTimeOffset webhookReceivedAt, CancellationToken cancellationToken)
    {
        var address = await addresses.CurrentAsync(cancellationToken).ConfigureAwait(false);
        using var request = Elma365Push.Create(message, address.Url, _options);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            var sent = e.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError);
            throw new Elma365DeliveryException($"ELMA365 is unreachable: {e.Message}", null, isTransient: true, inner: e) { AnswerMayBeLost = sent };
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var target = response.Headers.Location is { } location ? new Uri(address.Url, location).GetLeftPart(UriPartial.Authority) : "nowhere";
                throw new Elma365DeliveryException(
                    $"ELMA365 answered {status} {response.ReasonPhrase}, a redirect to {target}: pushes are never redirected (the POST would arrive as a GET). "
                    + "Set Elma365__WebhookUrl to the webhook address exactly as the module page shows it (https), or let the module register its own.",
                    status, isTransient: false);
            }

            var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            var addressChanging = !transient && Elma365AddressRefusal.IsAddressRefusal(status)
                && await MayBeChangingAsync(address, webhookReceivedAt, cancellationToken).ConfigureAwait(false);
            var detail = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            throw new Elma365DeliveryException(
                $"ELMA365 answered {status} {response.ReasonPhrase}{(detail.Length > 0 ? $": {detail}" : string.Empty)}"
                + (addressChanging ? " (taken for the module's webhook address changing: waiting for the new one)" : string.Empty),
                status, transient || addressChanging, RetryAfter(response))
            {
                // A gateway's 502/504 or a 500 may come after ELMA365 took the push.
                AnswerMayBeLost = status is 500 or 502 or 504,
            };
        }
    }

    private async Task<bool> MayBeChangingAsync(Elma365WebhookAddress pushedTo, DateTimeOffset webhookReceivedAt, CancellationToken cancellationToken)
    {
        var current = await addresses.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Elma365AddressRefusal.MayBeChanging(pushedTo, current, webhookReceivedAt, time.GetUtcNow(), _options.AddressChangeGrace);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[SnippetBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return text.Length <= 300 ? text : text[..300] + "…";
        }
    }
}
