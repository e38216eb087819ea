using Azure.Data.Tables;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Contacts;
using Megafon.Core.Elma365.Api;
using Megafon.Core.Queueing;
using Megafon.Core.Telephony;
using Megafon.Core.Vats.Api;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

public sealed class ConnectionCheckTests
{
    private const string Unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-bridge.vault.azure.net/secrets/vats-api-key/)";

    [Theory]
    [InlineData("Vats__ApiKey")]
    [InlineData("Elma365__Token")]
    [InlineData("Elma365__ModuleKey")]
    [InlineData("Elma365__ApiToken")]
    public async Task An_unresolved_key_vault_reference_is_reported_naming_the_setting_and_never_sent_anywhere(string setting)
    {
        var vats = new VatsOptions { Endpoint = "https://vats123456.megapbx.ru/sys/crm_api.wcgp", ApiKey = "pbx-key", CrmToken = "crm-token-0123456789" };
        var elma365 = new Elma365Options { WebhookUrl = "https://company.elma365.ru/hook", Token = "elma-key", ModuleKey = "module-key-0123456789" };
        var elma365Api = new Elma365ApiOptions { ApiUrl = "https://company.elma365.ru", ApiToken = "api-token", ModuleCode = "ext_megafon" };
        switch (setting)
        {
            case "Vats__ApiKey":
                vats.ApiKey = Unresolved;
                break;
            case "Elma365__Token":
                elma365.Token = Unresolved;
                break;
            case "Elma365__ModuleKey":
                elma365.ModuleKey = Unresolved;
                break;
            default:
                elma365Api.ApiToken = Unresolved;
                break;
        }

        var pbx = new CountingHandler();
        var check = new ConnectionCheck(
            new VatsApiClient(new HttpClient(pbx), Options.Create(vats)),
            new VatsEventQueues(new QueueServiceClient("UseDevelopmentStorage=true")),
            new CallStore(new TableServiceClient("UseDevelopmentStorage=true")),
            Options.Create(vats),
            Options.Create(elma365),
            Options.Create(elma365Api),
            new ContactLookupCheck(new Elma365ApiClient(new HttpClient(pbx), Options.Create(elma365Api)), Options.Create(elma365Api), Options.Create(new ContactOptions())),
            new Elma365.Module.Elma365WebhookAddresses(new TableServiceClient("UseDevelopmentStorage=true"), Options.Create(elma365), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Elma365.Module.Elma365WebhookAddresses>.Instance));

        var result = await check.RunAsync(CancellationToken.None);

        var body = Assert.IsType<Dictionary<string, object>>(result.Body);
        Assert.Equal(false, body["success"]);
        Assert.Contains(setting, (string)body["failReason"], StringComparison.Ordinal);
        Assert.Equal(0, pbx.Calls);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("[]") });
        }
    }
}
