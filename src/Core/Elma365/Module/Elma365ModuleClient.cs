using System.Net;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Elma365.Module;

/// <summary>
/// Pushes messages to the ELMA365 module webhook. The HttpClient it gets from DI already retries
/// short blips (see <see cref="DependencyInjection.Elma365ModuleServiceCollectionExtensions"/>); what
/// still fails surfaces as <see cref="Elma365DeliveryException"/> for the queue to retry later.
/// </summary>
public sealed class Elma365ModuleClient(HttpClient http, IOptions<Elma365Options> options, TimeProvider time)
{
    private readonly Elma365Options _options = options.Value;

    public async Task PushAsync(Elma365Message message, CancellationToken cancellationToken)
    {
        using var request = Elma365Push.Create(message, new Uri(_options.WebhookUrl), _options);

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
            var detail = await ReadSnippetAsync(response, cancellationToken).ConfigureAwait(false);
            throw new Elma365DeliveryException(
                $"ELMA365 answered {status} {response.ReasonPhrase}{(detail.Length > 0 ? $": {detail}" : string.Empty)}",
                status, transient, RetryAfter(response));
        }
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
