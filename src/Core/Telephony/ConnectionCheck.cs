using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Contacts;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Http;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Api;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Telephony;

/// <summary>
/// ELMA365's «Проверить подключение»: are the keys there, is the PBX reachable with ours, is the
/// bridge's storage there, and, when the contact lookup is on, does ELMA365's API take its token and
/// module code? Also says which ELMA365 webhook address pushes go to, and since when. (The other
/// ELMA365 settings are checked when the app starts: it does not run without them.)
/// </summary>
public sealed class ConnectionCheck(
    VatsApiClient vats,
    VatsEventQueues queues,
    CallStore calls,
    IOptions<VatsOptions> vatsSettings,
    IOptions<Elma365Options> elma365Settings,
    IOptions<Elma365ApiOptions> elma365ApiSettings,
    ContactLookupCheck contacts,
    Elma365WebhookAddresses addresses)
{
    public async Task<ApiResult> RunAsync(CancellationToken cancellationToken)
    {
        // Start-up validation refuses these too; checked here so the button names the setting
        // instead of sending the reference's text to the PBX as its key and blaming the key.
        object[] settings = [vatsSettings.Value, elma365Settings.Value, elma365ApiSettings.Value];
        var unresolved = settings.SelectMany(SecretSettingAttribute.UnresolvedIn).ToList();
        if (unresolved.Count > 0)
        {
            return Failed($"Секрет не получен из Key Vault: в настройке {string.Join(", ", unresolved)} вместо значения стоит ссылка @Microsoft.KeyVault(...). Дайте удостоверению приложения право читать секрет (Key Vault Secrets User), проверьте имена хранилища и секрета в ссылке и перезапустите приложение.");
        }

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

        if (await contacts.RunAsync(cancellationToken).ConfigureAwait(false) is { } contactFailure)
        {
            return Failed(contactFailure);
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
