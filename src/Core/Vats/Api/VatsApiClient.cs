using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Microsoft.Extensions.Options;
using Polly;

namespace Megafon.Core.Vats.Api;

/// <summary>
/// Commands to the PBX at <c>/sys/crm_api.wcgp</c>. Reads are retried on transient failures by
/// the resilience pipeline; <c>makeCall</c> never is — a duplicate would ring a manager twice.
/// </summary>
public sealed class VatsApiClient(HttpClient http, IOptions<VatsOptions> options)
{
    /// <summary>Marks a request the resilience pipeline may repeat.</summary>
    public static readonly ResiliencePropertyKey<bool> Retryable = new("Megafon.Vats.Retryable");

    private readonly VatsOptions _options = options.Value;

    public async Task<IReadOnlyList<VatsAccount>> GetAccountsAsync(CancellationToken cancellationToken) =>
        await SendAsync("accounts", [], retryable: true, ParseList(VatsApiJsonContext.Default.ListVatsAccount), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<VatsGroup>> GetGroupsAsync(string? user, CancellationToken cancellationToken) =>
        await SendAsync("groups", user is null ? [] : new() { ["user"] = user }, retryable: true, ParseList(VatsApiJsonContext.Default.ListVatsGroup), cancellationToken).ConfigureAwait(false);

    /// <summary>Rings <paramref name="user"/> (login, extension or number) and then connects <paramref name="phone"/>.</summary>
    public Task<VatsCallStarted> MakeCallAsync(string user, string phone, CancellationToken cancellationToken) =>
        SendAsync("makeCall", new() { ["user"] = user, ["phone"] = DigitsOnly(phone) }, retryable: false, ParseCallStarted, cancellationToken);

    public Task SubscribeOnCallsAsync(string user, bool on, string? groupId, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string> { ["user"] = user, ["status"] = on ? "on" : "off" };
        if (groupId is not null)
        {
            parameters["group_id"] = groupId;
        }

        return SendAsync("subscribeOnCalls", parameters, retryable: true, _ => true, cancellationToken);
    }

    /// <summary>
    /// The calls that started between <paramref name="from"/> and <paramref name="to"/>, at most
    /// <paramref name="limit"/> of them, from the PBX's CSV export. A body with lines but no call in
    /// them (an error page, a proxy's answer) is a failure, not an empty history.
    /// </summary>
    public Task<VatsHistory> GetHistoryAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        SendAsync(
            "history",
            new()
            {
                ["start"] = HistoryTime(from),
                ["end"] = HistoryTime(to),
                ["type"] = "all",
                ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
            },
            retryable: true,
            ParseHistory,
            cancellationToken);

    /// <summary>A time as the PBX's history takes and gives it: UTC, <c>yyyyMMddTHHmmssZ</c>, 24-hour.</summary>
    public static string HistoryTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The PBX wants the client's number as digits only.</summary>
    public static string DigitsOnly(string phone) => new([.. (phone ?? string.Empty).Where(char.IsAsciiDigit)]);

    private async Task<T> SendAsync<T>(string command, Dictionary<string, string> parameters, bool retryable, Func<string, T> parse, CancellationToken cancellationToken)
    {
        parameters["cmd"] = command;
        parameters["token"] = _options.ApiKey;
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.EndpointAddress())
        {
            Content = JsonContent.Create(parameters, VatsApiJsonContext.Default.DictionaryStringString),
        };
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Retryable, retryable);
        request.SetResilienceContext(context);

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return parse(body);
                }
                catch (JsonException e)
                {
                    throw new VatsApiException(VatsApiFailure.Unavailable, $"The PBX answered '{command}' with something that is not its JSON ({Snippet(body)}); is Vats__Endpoint the API address ending in /sys/crm_api.wcgp?", (int)response.StatusCode, e);
                }
                catch (FormatException e)
                {
                    throw new VatsApiException(VatsApiFailure.Unavailable, $"The PBX answered '{command}' with something that is not its export: {e.Message} ({Snippet(PhoneMask.MaskNumbers(body))}); is Vats__Endpoint the API address ending in /sys/crm_api.wcgp?", (int)response.StatusCode, e);
                }
            }

            throw Failure(command, response, body);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            throw new VatsApiException(VatsApiFailure.WrongAddress, $"The PBX host {_options.EndpointAddress().Host} does not exist: check Vats__Endpoint.", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new VatsApiException(VatsApiFailure.Unavailable, $"The PBX is unreachable: {e.Message}", null, e);
        }
        catch (Exception e) when (e is TimeoutException or Polly.Timeout.TimeoutRejectedException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new VatsApiException(VatsApiFailure.Timeout, $"The PBX did not answer '{command}' in time.", null, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static VatsApiException Failure(string command, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var error = ErrorText(body);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(VatsApiFailure.InvalidToken, $"The PBX refused the key: Vats__ApiKey is not the key shown in the PBX's 'Интеграция с CRM' card ({error ?? "Invalid token"}).", status),
            HttpStatusCode.BadRequest => new(VatsApiFailure.InvalidParameters, $"The PBX did not accept '{command}': {error ?? "Invalid parameters"}.", status),
            >= HttpStatusCode.MovedPermanently and < HttpStatusCode.BadRequest => new(VatsApiFailure.WrongAddress, $"The PBX answered {status} (a redirect to {response.Headers.Location?.ToString() ?? "elsewhere"}): Vats__Endpoint must be https://vatsNNNNNN.megapbx.ru/sys/crm_api.wcgp of your PBX.", status),
            HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => new(VatsApiFailure.Timeout, $"The PBX answered {status}: it did not finish '{command}' in time.", status),
            _ => new(VatsApiFailure.Unavailable, $"The PBX answered {status} {response.ReasonPhrase}: {error ?? Snippet(body)}", status),
        };
    }

    private static string? ErrorText(string body)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(body, VatsApiJsonContext.Default.DictionaryStringJsonElement);
            return parsed is not null && parsed.TryGetValue("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Func<string, IReadOnlyList<T>> ParseList<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type) =>
        body => JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The list is null.");

    // makeCall answers {"uuid":...}, {"CallID":...}, an empty body or "OK", depending on the build.
    private static VatsCallStarted ParseCallStarted(string body)
    {
        var text = body.Trim();
        if (!text.StartsWith('{'))
        {
            return new VatsCallStarted(null);
        }

        var fields = JsonSerializer.Deserialize(text, VatsApiJsonContext.Default.DictionaryStringJsonElement) ?? [];
        foreach (var (name, value) in fields)
        {
            if ((name.Equals("uuid", StringComparison.OrdinalIgnoreCase) || name.Equals("callid", StringComparison.OrdinalIgnoreCase))
                && value.ValueKind == JsonValueKind.String)
            {
                return new VatsCallStarted(value.GetString());
            }
        }

        return new VatsCallStarted(null);
    }

    private static VatsHistory ParseHistory(string body)
    {
        if (body.TrimStart().StartsWith('{') && ErrorText(body) is { } error)
        {
            throw new FormatException($"an error instead of the CSV export: {error}");
        }

        var history = VatsHistoryCsv.Read(body);
        return history.Calls.Count == 0 && history.UnreadableLines.Count > 0
            ? throw new FormatException("not one of its lines is a call of the CSV export")
            : history;
    }

    private static string Snippet(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "an empty body" : text.Length <= 120 ? $"'{text}'" : $"'{text[..120]}…'";
    }
}
