using System.Text;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

/// <summary>The example bodies of DESIGN.md §1 and helpers to parse bodies in tests.</summary>
internal static class WebhookFixtures
{
    public const string DesignIncoming = "cmd=event&type=INCOMING&phone=79101234567&user=andy&callid=B10D0EB124F4E64AF4EA-1511&crm_token=6JDctK8K4CyrTJch3eUeLtEwvFDaHeSm";

    public const string DesignHistory = "cmd=history&type=in&status=Success&callid=call-003&crm_token=test-token&phone=%2B79990001122&user=admin&diversion=74950000001&start=20260405T120000Z&duration=120&wait=15&link=https%3A%2F%2Fexample.com%2Frecord.mp3";

    public const string DesignTransferred = "cmd=event&type=TRANSFERRED&callid=call-a&second_callid=call-b&crm_token=test-token&phone=%2B79990001122&user=operator-a&direction=in";

    public static WebhookFields Form(string body)
    {
        Assert.True(WebhookBody.TryRead(WebhookBody.Format.Form, Encoding.UTF8.GetBytes(body), out var fields, out var error), error?.Message);
        return fields;
    }

    public static T Parse<T>(string body)
        where T : VatsCommand
    {
        Assert.True(VatsWebhookParser.TryParse(Form(body), out var command, out var error), error?.Message);
        return Assert.IsType<T>(command);
    }

    public static WebhookError ParseError(string body)
    {
        Assert.False(VatsWebhookParser.TryParse(Form(body), out _, out var error));
        return error!;
    }
}
