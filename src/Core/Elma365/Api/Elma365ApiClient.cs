using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Elma365.Api;

/// <summary>
/// Reads from ELMA365's public web API (<c>{Elma365__ApiUrl}/pub/v1/...</c>) with the
/// <c>Elma365__ApiToken</c> as a Bearer token. Every call here is a read, so the resilience
/// pipeline it gets from DI may repeat it; how long a caller waits is the caller's token's business.
/// </summary>
public sealed class Elma365ApiClient(HttpClient http, IOptions<Elma365ApiOptions> options)
{
    private readonly Elma365ApiOptions _options = options.Value;

    /// <summary>Items of <paramref name="app"/> that pass <paramref name="request"/>'s filter, as ELMA365 wrote them.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListAsync(Elma365AppRef app, Elma365ListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var what = $"the items of {app}";
        using var message = new HttpRequestMessage(HttpMethod.Post, Address($"pub/v1/app/{Segment(app.Namespace)}/{Segment(app.Code)}/list"))
        {
            Content = JsonContent.Create(request, Elma365ApiJsonContext.Default.Elma365ListRequest),
        };
        var answer = await SendAsync(message, what, Elma365ApiFailure.InvalidToken, Elma365ApiJsonContext.Default.Elma365ListResponse, cancellationToken).ConfigureAwait(false);
        if (!answer.Success || answer.Result is null)
        {
            throw new Elma365ApiException(Elma365ApiFailure.InvalidResponse, $"ELMA365 did not list {what}: {answer.Error ?? "success is false and there is no result"}.");
        }

        return answer.Result.Result ?? [];
    }

    /// <summary>The telephony module's «Настроить» mapping of PBX numbers to ELMA365 users (admin tokens only).</summary>
    public async Task<IReadOnlyList<Elma365VoipBinding>> GetVoipBindingsAsync(string moduleCode, CancellationToken cancellationToken)
    {
        var what = $"the bindings of module {moduleCode}";
        using var message = new HttpRequestMessage(HttpMethod.Get, Address($"pub/v1/integration/{Segment(moduleCode)}/voip/bindings"));
        var answer = await SendAsync(message, what, Elma365ApiFailure.Forbidden, Elma365ApiJsonContext.Default.Elma365VoipBindingsResponse, cancellationToken).ConfigureAwait(false);
        if (answer.Success == false)
        {
            throw new Elma365ApiException(Elma365ApiFailure.InvalidResponse, $"ELMA365 did not give {what}: {answer.Error ?? "success is false"}.");
        }

        return answer.Bindings ?? [];
    }

    /// <summary>The description of <paramref name="app"/>: its fields' codes and types.</summary>
    public async Task<Elma365AppScheme> GetAppSchemeAsync(Elma365AppRef app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var what = $"the scheme of {app}";
        using var message = new HttpRequestMessage(HttpMethod.Get, Address($"pub/v1/scheme/namespaces/{Segment(app.Namespace)}/apps/{Segment(app.Code)}"));
        var answer = await SendAsync(message, what, Elma365ApiFailure.InvalidToken, Elma365ApiJsonContext.Default.Elma365AppSchemeResponse, cancellationToken).ConfigureAwait(false);
        return answer.Success != false && answer.Application is { } scheme
            ? scheme
            : throw new Elma365ApiException(Elma365ApiFailure.InvalidResponse, $"ELMA365 did not give {what}: {answer.Error ?? "no application in the answer"}.");
    }

    private Uri Address(string relative) => new(_options.BaseAddress(), relative);

    private static string Segment(string value) => Uri.EscapeDataString(value);

    // forbidden: what a 403 means on this endpoint. The documentation gives 403 both for a failed
    // log-in (reads) and for a user who is not an administrator (the bindings).
    private async Task<T> SendAsync<T>(HttpRequestMessage request, string what, Elma365ApiFailure forbidden, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        // Trimmed: a token pasted into an app setting or a Key Vault secret often brings a line break.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiToken.Trim());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(what, response, await SnippetAsync(response, cancellationToken).ConfigureAwait(false), forbidden);
            }

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                        ?? throw new JsonException("null");
                }
            }
            catch (JsonException e)
            {
                throw new Elma365ApiException(Elma365ApiFailure.InvalidResponse, $"ELMA365 answered {what} with something that is not its JSON; is Elma365__ApiUrl the company's address?", (int)response.StatusCode, e);
            }
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            throw new Elma365ApiException(Elma365ApiFailure.WrongAddress, $"The ELMA365 host {request.RequestUri?.Host} does not exist: check Elma365__ApiUrl.", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new Elma365ApiException(Elma365ApiFailure.Unavailable, $"ELMA365 is unreachable: {e.Message}", null, e);
        }
        catch (Exception e) when (e is TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new Elma365ApiException(Elma365ApiFailure.Timeout, $"ELMA365 did not answer {what} in time.", null, e);
        }
    }

    private static Elma365ApiException Failure(string what, HttpResponseMessage response, string body, Elma365ApiFailure forbidden)
    {
        var status = (int)response.StatusCode;
        var detail = ErrorText(body) ?? body;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(Elma365ApiFailure.InvalidToken, $"ELMA365 refused the token (401) for {what}: Elma365__ApiToken is wrong, revoked or expired.", status),
            HttpStatusCode.Forbidden when forbidden == Elma365ApiFailure.Forbidden => new(Elma365ApiFailure.Forbidden, $"ELMA365 refused {what} (403): the user of Elma365__ApiToken must be an administrator. {detail}".TrimEnd(), status),
            HttpStatusCode.Forbidden => new(Elma365ApiFailure.InvalidToken, $"ELMA365 refused the token (403) for {what}: Elma365__ApiToken is wrong, revoked or expired, or its user may not read this app. {detail}".TrimEnd(), status),
            HttpStatusCode.NotFound => new(Elma365ApiFailure.NotFound, $"ELMA365 has no {what} (404). {detail}".TrimEnd(), status),
            HttpStatusCode.BadRequest => new(Elma365ApiFailure.BadRequest, $"ELMA365 refused the request for {what} (400): {detail}", status),
            HttpStatusCode.TooManyRequests => new(Elma365ApiFailure.Throttled, $"ELMA365 asks to slow down (429) for {what}.", status),
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => new(Elma365ApiFailure.Timeout, $"ELMA365 answered {status} for {what}: it did not finish in time.", status),
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => new(Elma365ApiFailure.WrongAddress, $"ELMA365 answered {status} (a redirect to {response.Headers.Location?.ToString() ?? "elsewhere"}): Elma365__ApiUrl must be the company's address, e.g. https://mycompany.elma365.ru.", status),
            _ => new(Elma365ApiFailure.Unavailable, $"ELMA365 answered {status} {response.ReasonPhrase} for {what}: {detail}", status),
        };
    }

    private static string? ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("error", out var error)
                   && error.ValueKind == JsonValueKind.String
                   && error.GetString() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Enough of a refusal to explain it, never a whole page.
    private static async Task<string> SnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
