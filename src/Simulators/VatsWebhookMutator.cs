using System.Text;

namespace Megafon.Simulators;

/// <summary>
/// Turns valid PBX webhook bodies into the damaged ones a property test throws at the bridge:
/// fields dropped, repeated or renamed, values replaced with junk, bytes inserted, bodies cut.
/// Deterministic per seed, so a failing case can be replayed.
/// </summary>
public static class VatsWebhookMutator
{
    private static readonly string[] Bases =
    [
        "cmd=event&type=INCOMING&phone=79101234567&user=andy&callid=B10D0EB124F4E64AF4EA-1511",
        "cmd=history&type=in&status=Success&callid=call-003&phone=%2B79990001122&user=admin&diversion=74950000001&start=20260405T120000Z&duration=120&wait=15&link=https%3A%2F%2Fexample.com%2Frecord.mp3",
        "cmd=event&type=TRANSFERRED&callid=call-a&second_callid=call-b&phone=%2B79990001122&user=operator-a&direction=in",
        "cmd=event&type=CANCELLED&callid=c-9&phone=79101234567&user=g_6d1f%40sales&groupRealName=%D0%9E%D1%82%D0%B4%D0%B5%D0%BB",
        "cmd=history&type=out&status=missed&callid=c-10&phone=79101234567&user=pbx&start=20260405T120000Z&duration=0",
        "cmd=rating&callid=c-11&user=andy&ext=701&phone=79101234567&rating=5",
        "cmd=contact&phone=79101234567&callid=c-12&diversion=74950000001",
    ];

    private static readonly string[] Junk =
    [
        "", " ", "-1", "1.5", "99999999999", "0x10", "NaN", "%", "%zz", "%%", "+", "=", "&", "==&&", "\u0000", "\uFFFD",
        "Отдел продаж", "😀", "<script>", "'; drop table calls; --", new string('a', 300), "20261341T250000Z", "in", "out",
        "INCOMING", "history", "contact", "Success",
    ];

    public static string Mutate(int seed, string crmToken)
    {
        var random = new Random(seed);
        var pairs = Bases[random.Next(Bases.Length)].Split('&').ToList();
        pairs.Add($"crm_token={Uri.EscapeDataString(crmToken)}");
        for (var i = random.Next(1, 4); i > 0 && pairs.Count > 0; i--)
        {
            var at = random.Next(pairs.Count);
            switch (random.Next(7))
            {
                case 0:
                    pairs.RemoveAt(at);
                    break;
                case 1:
                    pairs.Insert(random.Next(pairs.Count + 1), pairs[at]);
                    break;
                case 2:
                    pairs[at] = $"{pairs[at].Split('=')[0]}={Uri.EscapeDataString(Junk[random.Next(Junk.Length)])}";
                    break;
                case 3:
                    pairs[at] = $"{pairs[at].Split('=')[0]}={Junk[random.Next(Junk.Length)]}";
                    break;
                case 4:
                    pairs[at] = pairs[at].ToUpperInvariant();
                    break;
                case 5:
                    pairs[at] = pairs[at].Insert(random.Next(pairs[at].Length + 1), Junk[random.Next(Junk.Length)]);
                    break;
                default:
                    pairs.Add($"{Junk[random.Next(Junk.Length)]}={Junk[random.Next(Junk.Length)]}");
                    break;
            }
        }

        var body = string.Join('&', pairs);
        return random.Next(10) == 0 ? body[..random.Next(body.Length + 1)] : body;
    }

    public static byte[] Bytes(int seed, string crmToken) => Encoding.UTF8.GetBytes(Mutate(seed, crmToken));
}
