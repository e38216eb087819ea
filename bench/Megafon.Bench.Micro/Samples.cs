using System.Text;
using Megafon.Core.Configuration;
using Megafon.Core.Intake;
using Microsoft.Extensions.Options;

namespace Megafon.Bench.Micro;

/// <summary>The webhooks the benchmarks parse: each command as the PBX posts it, token included.</summary>
public enum Command
{
    EventIncoming,
    EventAccepted,
    EventTransferred,
    History,
    Contact,
    Rating,
}

public static class Samples
{
    public const string CrmToken = "6JDctK8K4CyrTJch3eUeLtEwvFDaHeSm";
    public const string FormContentType = "application/x-www-form-urlencoded";

    private const string Group = "%D0%9E%D1%82%D0%B4%D0%B5%D0%BB+%D0%BF%D1%80%D0%BE%D0%B4%D0%B0%D0%B6"; // "Отдел продаж"

    public static string Body(Command command) => command switch
    {
        Command.EventIncoming =>
            $"cmd=event&type=INCOMING&phone=79101234567&diversion=74950000001&user=alexey&ext=703&telnum=74950000001&groupRealName={Group}&callid=B10D0EB124F4E64AF4EA-1511&crm_token={CrmToken}",
        Command.EventAccepted =>
            $"cmd=event&type=ACCEPTED&phone=79101234567&diversion=74950000001&user=alexey&ext=703&telnum=74950000001&callid=B10D0EB124F4E64AF4EA-1511&crm_token={CrmToken}",
        Command.EventTransferred =>
            $"cmd=event&type=TRANSFERRED&callid=B10D0EB124F4E64AF4EA-1511&second_callid=B10D0EB124F4E64AF4EA-1512&phone=%2B79990001122&user=alexey&ext=703&direction=in&crm_token={CrmToken}",
        Command.History =>
            $"cmd=history&type=in&status=Success&callid=B10D0EB124F4E64AF4EA-1511&phone=%2B79990001122&user=alexey&ext=703&telnum=74950000001&diversion=74950000001&groupRealName={Group}&group=sales&start=20261124T093000Z&duration=120&wait=15&link=https%3A%2F%2Fvats123456.megapbx.ru%2Frecords%2FB10D0EB124F4E64AF4EA-1511.mp3&crm_token={CrmToken}",
        Command.Contact =>
            $"cmd=contact&phone=79101234567&callid=B10D0EB124F4E64AF4EA-1511&diversion=74950000001&crm_token={CrmToken}",
        Command.Rating =>
            $"cmd=rating&callid=B10D0EB124F4E64AF4EA-1511&user=alexey&ext=703&phone=79101234567&rating=5&crm_token={CrmToken}",
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    public static byte[] Bytes(Command command) => Encoding.UTF8.GetBytes(Body(command));

    public static IOptions<VatsOptions> Options { get; } = Microsoft.Extensions.Options.Options.Create(new VatsOptions
    {
        Endpoint = "https://vats123456.megapbx.ru/sys/crm_api.wcgp",
        ApiKey = "pbx-key",
        CrmToken = CrmToken,
    });

    public static CrmTokenVerifier Tokens { get; } = new(Options);
}
