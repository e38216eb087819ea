using Megafon.Core.Calls;
using Megafon.Core.Contacts;
using Megafon.Core.Http;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Telephony;

/// <summary>
/// ELMA365's «Проверить подключение»: is the PBX reachable with our key, is the bridge's storage
/// there, and, when the contact lookup is on, does ELMA365's API take its token and module code?
/// (The other ELMA365 settings are checked when the app starts: it does not run without them.)
/// </summary>
public sealed class ConnectionCheck(VatsApiClient vats, VatsEventQueues queues, CallStore calls, ContactLookupCheck contacts)
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

        try
        {
            await queues.Events.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            await calls.Table.QueryAsync<CallEntity>(maxPerPage: 1, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken).MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return Failed($"Хранилище моста недоступно (очередь {QueueNames.VatsEvents} или таблица {CallStore.TableName}): проверьте настройку AzureWebJobsStorage. {e.Message}");
        }

        if (await contacts.RunAsync(cancellationToken).ConfigureAwait(false) is { } contactFailure)
        {
            return Failed(contactFailure);
        }

        return ApiResult.Ok(new Dictionary<string, object> { ["success"] = true });
    }

    private static ApiResult Failed(string reason) =>
        ApiResult.Ok(new Dictionary<string, object> { ["success"] = false, ["failReason"] = reason });
}
