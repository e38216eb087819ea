using System.Net;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Pushes messages to the ELMA365 module webhook. The HttpClient it gets from DI already retries
/// short blips (see <see cref="DependencyInjection.Elma365ModuleServiceCollectionExtensions"/>); what
/// still fails surfaces as <see cref="Elma365DeliveryException"/> for the queue to retry later.
/// </summary>
public sealed class Elma365ModuleClient(HttpClient http, Elma365WebhookAddresses addresses, IOptions<Elma365Options> options, TimeProvider time)
{
    private readonly Elma365Options _options = options.Value;

    /// <param name="message">What to push.</param>
    /// <param name="webhookReceivedAt">When the PBX webhook behind it arrived: a young one refused with 401/403/404 waits for the module's new address.</param>
    /// <param name="cancellationToken">Stops the push.</param>
    public async Task PushAsync(Elma365Message message, DateTimeOffset webhookReceivedAt, CancellationToken cancellationToken)
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
            throw new Elma365DeliveryException($"ELMA365 is unreachable: {e.Message}", null, isTransient: true, inner: e);
        }
        catch (Exception e) when (e is TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new Elma365DeliveryException("ELMA365 did not answer in time.", null, isTransient: true, inner: e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            var addressChanging = !transient && Elma365AddressRefusal.IsAddressRefusal(status)
                && await MayBeChangingAsync(address, webhookReceivedAt, cancellationToken).ConfigureAwait(false);
            var detail = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            throw new Elma365DeliveryException(
                $"ELMA365 answered {status} {response.ReasonPhrase}{(detail.Length > 0 ? $": {detail}" : string.Empty)}"
                + (addressChanging ? " (taken for the module's webhook address changing: waiting for the new one)" : string.Empty),
                status, transient || addressChanging, RetryAfter(response));
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

    // Enough of the body to explain a refusal in the poison reason, never the whole page.
    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
