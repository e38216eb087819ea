using Megafon.Core.Calls;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Http;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Telephony;

/// <summary>
/// ELMA365's «Проверить подключение»: is the PBX reachable with our key, and is the bridge's
/// storage there? Also says which ELMA365 webhook address pushes go to, and since when. (The
/// ELMA365 settings are checked when the app starts: it does not run without them.)
/// </summary>
public sealed class ConnectionCheck(VatsApiClient vats, VatsEventQueues queues, CallStore calls, Elma365WebhookAddresses addresses)
{
    public async Task<ApiResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await vats.GetAccountsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VatsApiException e)
        {
            return Failed(e.ForAdmin());
        }

        Elma365WebhookAddress webhook;
        try
        {
            await queues.Events.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            await calls.Table.QueryAsync<CallEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken).MoveNextAsync().ConfigureAwait(false);
            webhook = await addresses.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return Failed($"Хранилище моста недоступно (очередь {QueueNames.VatsEvents} или таблица {CallStore.TableName}): проверьте настройку AzureWebJobsStorage. {e.Message}");
        }

        return ApiResult.Ok(new Dictionary<string, object> { ["success"] = true, ["elma365Webhook"] = Describe(webhook) });
    }

    // Origin and fingerprint only: the rest of the address may carry the platform's token.
    private static Dictionary<string, object> Describe(Elma365WebhookAddress webhook)
    {
        var described = new Dictionary<string, object>
        {
            ["source"] = webhook.IsRegistered ? "module" : "setting",
            ["origin"] = webhook.Origin,
            ["fingerprint"] = webhook.Fingerprint,
        };
        if (webhook.RegisteredAt is { } registeredAt)
        {
            described["registeredAt"] = registeredAt;
        }

        return described;
    }

    private static ApiResult Failed(string reason) =>
        ApiResult.Ok(new Dictionary<string, object> { ["success"] = false, ["failReason"] = reason });
}
