using System.Collections.Concurrent;
using System.Text.Json;

namespace Megafon.Simulators;

/// <summary>
/// Stands in for the PBX API at /sys/crm_api.wcgp: the token check, <c>accounts</c>,
/// <c>groups</c>, <c>makeCall</c>, <c>subscribeOnCalls</c>, and the failure answers the real one gives.
/// </summary>
public sealed partial class VatsSimulator : LoopbackServer
{
    public const string ApiPath = "sys/crm_api.wcgp";

    private readonly ConcurrentQueue<VatsMakeCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly string _apiKey;

    private VatsSimulator(string apiKey) => _apiKey = apiKey;

    public Uri ApiEndpoint => new(BaseAddress, ApiPath);

    public IList<VatsAccount> Accounts { get; } =
    [
        new("alexey", "Алексей Смирнов", "703", "74950000703", "alexey@example.com"),
        new("maria", "Мария Иванова", "704", "74950000704", "maria@example.com"),
        new("robot", "", null, null, null),
    ];

    public IList<VatsGroup> Groups { get; } = [new("sales", "Отдел продаж", 701), new("support", "Поддержка", 702)];

    public IReadOnlyList<VatsMakeCall> MakeCalls => [.. _calls];

    /// <summary>How many requests for <paramref name="command"/> arrived, failed ones included.</summary>
    public int RequestCount(string command) => _requests.GetValueOrDefault(command);

    /// <summary>How the PBX behaves: healthy, or one of the failures seen in the wild.</summary>
    public VatsFailure Failure { get; set; }

    /// <summary>The calls played through the PBX, served by <c>cmd=history</c>.</summary>
    public VatsHistoryLog History { get; } = new();

    /// <summary>Whether the history export starts with a header line (public SDKs see none).</summary>
    public bool HistoryHeader { get; set; }

    /// <summary>The history export waits this long before answering (a slow PBX).</summary>
    public TimeSpan HistoryDelay { get; set; }

    /// <summary>The body makeCall answers with; the real PBX varies.</summary>
    public string MakeCallAnswer { get; set; } = """{"uuid":"3f1c2d9a-0000-4000-8000-000000000001"}""";

    public static async Task<VatsSimulator> StartAsync(string apiKey, int port = 0)
    {
        var simulator = new VatsSimulator(apiKey);
        await simulator.StartAsync(port, app =>
        {
            app.MapPost(ApiPath, (Delegate)(Func<HttpContext, Task<IResult>>)simulator.HandleAsync);
            simulator.MapRecordings(app);
        });
        return simulator;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var fields = await ReadFieldsAsync(context.Request);
        _requests.AddOrUpdate(fields.GetValueOrDefault("cmd") ?? string.Empty, 1, (_, n) => n + 1);
        switch (Failure)
        {
            case VatsFailure.ServerError:
                return Results.Text("Internal Server Error", statusCode: 500);
            case VatsFailure.GatewayPage:
                return Results.Content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", statusCode: 502);
            case VatsFailure.WrongAddress:
                return Results.Redirect("https://vats000000.megapbx.ru/", permanent: true);
            case VatsFailure.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return Results.Empty;
            case VatsFailure.NotJson:
                return Results.Text("OK but not JSON", "text/plain");
        }

        if (!fields.TryGetValue("token", out var token) || token != _apiKey)
        {
            return Results.Json(new { error = "Invalid token" }, statusCode: 401);
        }

        fields.TryGetValue("cmd", out var cmd);
        switch (cmd)
        {
            case "accounts":
                return Results.Json(Accounts.Select(a => new { name = a.Name, realName = a.RealName, ext = a.Ext, telnum = a.Telnum, email = a.Email }));
            case "groups":
                return Results.Json(Groups.Select(g => new { id = g.Id, realName = g.RealName, ext = g.Ext }));
            case "subscribeOnCalls":
                return Results.Json(new { });
            case "history":
                return await HistoryAsync(fields, context.RequestAborted);
            // The PBX rings only users it has (by login or extension).
            case "makeCall" when fields.TryGetValue("user", out var user) && Accounts.Any(a => a.Name == user || a.Ext == user)
                                && fields.TryGetValue("phone", out var phone) && phone.Length > 0 && phone.All(char.IsDigit):
                _calls.Enqueue(new VatsMakeCall(user, phone));
                return Results.Text(MakeCallAnswer, MakeCallAnswer.StartsWith('{') ? "application/json" : "text/plain");
            default:
                return Results.Json(new { error = "Invalid parameters" }, statusCode: 400);
        }
    }

    // start and end in UTC, yyyyMMddTHHmmssZ; type all, in, out or missed; limit optional.
    private async Task<IResult> HistoryAsync(Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        const string Format = "yyyyMMdd'T'HHmmss'Z'";
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var styles = System.Globalization.DateTimeStyles.AssumeUniversal;
        if (!fields.TryGetValue("start", out var rawStart) || !DateTimeOffset.TryParseExact(rawStart, Format, culture, styles, out var start)
            || !fields.TryGetValue("end", out var rawEnd) || !DateTimeOffset.TryParseExact(rawEnd, Format, culture, styles, out var end))
        {
            return Results.Json(new { error = "Invalid parameters" }, statusCode: 400);
        }

        int? limit = fields.TryGetValue("limit", out var rawLimit) && int.TryParse(rawLimit, culture, out var n) ? n : null;
        if (HistoryDelay > TimeSpan.Zero)
        {
            await Task.Delay(HistoryDelay, cancellationToken);
        }

        return Results.Text(History.ToCsv(start, end, fields.GetValueOrDefault("type", "all"), limit, HistoryHeader), "text/csv");
    }

    // The PBX takes JSON (what the original module sent) and form bodies alike.
    private static async Task<Dictionary<string, string>> ReadFieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(p => p.Key, p => p.Value.ToString());
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

public sealed record VatsAccount(string Name, string RealName, string? Ext, string? Telnum, string? Email);

public sealed record VatsGroup(string Id, string RealName, int Ext);

public sealed record VatsMakeCall(string User, string Phone);

public enum VatsFailure
{
    None,
    ServerError,
    GatewayPage,
    WrongAddress,
    Hang,
    NotJson,
}
