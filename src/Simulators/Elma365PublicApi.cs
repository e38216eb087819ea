using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Megafon.Simulators;

/// <summary>How the simulated public API misbehaves, when told to.</summary>
public enum Elma365PublicApiFailure
{
    None,

    /// <summary>401 to every request.</summary>
    Unauthorized,

    /// <summary>429 with Retry-After to every request.</summary>
    TooManyRequests,

    /// <summary>503 with a plain-text page.</summary>
    ServerError,

    /// <summary>200 with an HTML page instead of JSON (a proxy's login page, say).</summary>
    Garbage,

    /// <summary>The connection is dropped without an answer.</summary>
    Down,
}

/// <summary>
/// ELMA365's public web API (<c>/pub/v1</c>), served on the ELMA365 simulator's own host as the
/// real one serves it beside the module webhook, with the documented shapes: items listed as
/// <c>{"success", "error", "result": {"result", "total"}}</c>, phone fields as arrays of
/// <c>{"type", "tel"}</c>, user fields as arrays of user ids, the telephony module's bindings as
/// <c>{"bindings": [{"extension", "userId"}], "success", "error"}</c>, and an app's scheme.
/// A wrong token gets 403 as the documentation lists for a failed log-in.
/// </summary>
public sealed class Elma365PublicApi
{
    public const string DefaultToken = "local-elma365-api-token";
    public const string DefaultModuleCode = "ext_megafon_vats";
    public const string Contacts = "_clients/_contacts";
    public const string Companies = "_clients/_companies";

    // The standard CRM's codes, with the types the scheme gives them.
    private static readonly (string Code, string Type, string Label)[] StandardFieldTypes =
    [
        ("__id", "STRING", "ID"),
        ("__name", "STRING", "Название"),
        ("__createdAt", "DATETIME", "Дата создания"),
        ("_phone", "PHONE", "Телефон"),
        ("_responsible", "SYS_USER", "Ответственный"),
    ];

    private static readonly string[] StandardFields = [.. StandardFieldTypes.Select(f => f.Code)];

    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonObject> _listRequests = new();
    private long _bindingsRequests;
    private long _schemeRequests;
    private int _failNext;

    /// <summary>The token requests must carry as <c>Authorization: Bearer</c>.</summary>
    public string Token { get; set; } = DefaultToken;

    /// <summary>The telephony module whose bindings exist; any other code gets 400, as a module that is not a telephony one does.</summary>
    public string ModuleCode { get; set; } = DefaultModuleCode;

    /// <summary>«Настроить»: PBX number (the module's member id) → ELMA365 user id.</summary>
    public ConcurrentDictionary<string, string> Bindings { get; } = new(StringComparer.Ordinal);

    /// <summary>403 to the bindings, as for a token whose user is not an administrator.</summary>
    public bool BindingsForbidden { get; set; }

    /// <summary>Every answer waits this long first.</summary>
    public TimeSpan Delay { get; set; }

    public Elma365PublicApiFailure Failure { get; set; }

    /// <summary>Field codes that hold phones, per app; a <c>tf</c> filter on one matches by digits.</summary>
    public ISet<string> PhoneFields { get; } = new HashSet<string>(StringComparer.Ordinal) { "_phone" };

    /// <summary>The field codes an app's scheme lists (every app has the same ones here).</summary>
    public ISet<string> SchemeFields { get; } = new HashSet<string>(StandardFields, StringComparer.Ordinal);

    /// <summary>The bodies of the list requests received, in order.</summary>
    public IReadOnlyList<JsonObject> ListRequests => [.. _listRequests];

    public int ListRequestCount => _listRequests.Count;

    public long BindingsRequestCount => Interlocked.Read(ref _bindingsRequests);

    public long SchemeRequestCount => Interlocked.Read(ref _schemeRequests);

    /// <summary>Every request so far, whatever its endpoint (to tell when a client has gone quiet).</summary>
    public long RequestCount => ListRequestCount + BindingsRequestCount + SchemeRequestCount;

    /// <summary>The next <paramref name="count"/> requests get 503, then all is well again (a blip).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Adds an item to <paramref name="app"/> (<c>namespace/code</c>) and returns it.</summary>
    public JsonObject Add(string app, JsonObject item)
    {
        _items.GetOrAdd(app, _ => new ConcurrentQueue<JsonObject>()).Enqueue(item);
        return item;
    }

    /// <summary>A contact as ELMA365 lists it.</summary>
    public JsonObject AddContact(string name, IEnumerable<string> phones, IEnumerable<string>? responsible = null, DateTimeOffset? createdAt = null, string? id = null) =>
        Add(Contacts, Item(name, phones, responsible, createdAt, id));

    /// <summary>A company as ELMA365 lists it.</summary>
    public JsonObject AddCompany(string name, IEnumerable<string> phones, IEnumerable<string>? responsible = null, DateTimeOffset? createdAt = null, string? id = null) =>
        Add(Companies, Item(name, phones, responsible, createdAt, id));

    /// <summary>
    /// An item with the standard CRM's field codes: <c>__id</c>, <c>__name</c>, <c>__createdAt</c>,
    /// <c>_phone</c> (an array of <c>{"type", "tel"}</c>) and <c>_responsible</c> (an array of user ids).
    /// </summary>
    public static JsonObject Item(string name, IEnumerable<string> phones, IEnumerable<string>? responsible = null, DateTimeOffset? createdAt = null, string? id = null) => new()
    {
        ["__id"] = id ?? Guid.NewGuid().ToString(),
        ["__name"] = name,
        ["__createdAt"] = (createdAt ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["__deletedAt"] = null,
        ["_phone"] = new JsonArray([.. phones.Select(p => (JsonNode)new JsonObject { ["type"] = "work", ["tel"] = p })]),
        ["_responsible"] = new JsonArray([.. (responsible ?? []).Select(u => (JsonNode)JsonValue.Create(u))]),
    };

    /// <summary>Forgets every item, binding and request, and every failure mode.</summary>
    public void Reset()
    {
        _items.Clear();
        _listRequests.Clear();
        Bindings.Clear();
        SchemeFields.Clear();
        SchemeFields.UnionWith(StandardFields);
        Interlocked.Exchange(ref _bindingsRequests, 0);
        Interlocked.Exchange(ref _schemeRequests, 0);
        Interlocked.Exchange(ref _failNext, 0);
        BindingsForbidden = false;
        Delay = TimeSpan.Zero;
        Failure = Elma365PublicApiFailure.None;
        Token = DefaultToken;
        ModuleCode = DefaultModuleCode;
    }

    /// <summary>What the run command's demo shows: a known caller routed to their manager, alexey (703).</summary>
    public void SeedDemo()
    {
        const string Alexey = "5a1e0000-0000-4000-8000-000000000703";
        const string Maria = "5a1e0000-0000-4000-8000-000000000704";
        Bindings["703"] = Alexey;
        Bindings["704"] = Maria;
        AddContact("Ирина Петрова", ["+7 (916) 123-45-67"], [Alexey]);
        AddCompany("ООО «Ромашка»", ["8 (495) 000-00-02", "+7 926 123-45-67"], [Maria]);
    }

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("pub/v1/app/{ns}/{code}/list", (HttpContext context, string ns, string code) => ListAsync(context, ns, code));
        app.MapGet("pub/v1/integration/{code}/voip/bindings", (HttpContext context, string code) => BindingsAsync(context, code));
        app.MapGet("pub/v1/scheme/namespaces/{ns}/apps/{code}", (HttpContext context, string ns, string code) => SchemeAsync(context, ns, code));
    }

    private async Task<IResult> ListAsync(HttpContext context, string ns, string code)
    {
        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        _listRequests.Enqueue(body ?? []);
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }

        if (body is null)
        {
            return Error(400, "invalid request body");
        }

        if (!_items.TryGetValue($"{ns}/{code}", out var stored) && !IsKnownApp(ns, code))
        {
            return Error(404, $"application {ns}/{code} not found");
        }

        var size = body["size"]?.GetValue<int>() ?? 10;
        if (size is < 1 or > 10000)
        {
            return Error(400, "size must be between 1 and 10000");
        }

        IEnumerable<JsonObject> items = stored?.ToArray() ?? [];
        if (body["active"]?.GetValue<bool>() == true)
        {
            items = items.Where(i => i["__deletedAt"] is null);
        }

        if (body["filter"]?["tf"] is JsonObject tf)
        {
            foreach (var (field, value) in tf)
            {
                var wanted = value?.ToString() ?? string.Empty;
                items = items.Where(i => Matches(i[field], wanted, PhoneFields.Contains(field)));
            }
        }

        if (body["filter"]?["eql"] is not null)
        {
            return Error(400, "the simulator does not evaluate eql filters");
        }

        if (body["sortExpressions"] is JsonArray sorts && sorts.OfType<JsonObject>().FirstOrDefault() is { } sort)
        {
            var field = sort["field"]?.GetValue<string>() ?? "__createdAt";
            items = sort["ascending"]?.GetValue<bool>() == false
                ? items.OrderByDescending(i => i[field]?.ToString(), StringComparer.Ordinal)
                : items.OrderBy(i => i[field]?.ToString(), StringComparer.Ordinal);
        }

        var matched = items.ToList();
        var from = body["from"]?.GetValue<int>() ?? 0;
        var page = new JsonArray([.. matched.Skip(from).Take(size).Select(i => i.DeepClone())]);
        return Results.Json(new JsonObject
        {
            ["success"] = true,
            ["error"] = string.Empty,
            ["result"] = new JsonObject { ["result"] = page, ["total"] = matched.Count },
        });
    }

    private async Task<IResult> BindingsAsync(HttpContext context, string code)
    {
        Interlocked.Increment(ref _bindingsRequests);
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }

        if (BindingsForbidden)
        {
            return Error(403, "the user on whose behalf the data is requested must have the administrator's permissions");
        }

        if (!string.Equals(code, ModuleCode, StringComparison.Ordinal))
        {
            return Error(400, "a system or custom telephony module must be used; the module has to be enabled");
        }

        return Results.Json(new JsonObject
        {
            ["bindings"] = new JsonArray([.. Bindings.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (JsonNode)new JsonObject { ["extension"] = b.Key, ["userId"] = b.Value })]),
            ["success"] = true,
            ["error"] = string.Empty,
        });
    }

    private async Task<IResult> SchemeAsync(HttpContext context, string ns, string code)
    {
        Interlocked.Increment(ref _schemeRequests);
        if (await RefuseAsync(context) is { } refused)
        {
            return refused;
        }

        if (!IsKnownApp(ns, code) && !_items.ContainsKey($"{ns}/{code}"))
        {
            return Error(404, $"application {ns}/{code} not found");
        }

        return Results.Json(new JsonObject
        {
            ["success"] = true,
            ["error"] = string.Empty,
            ["application"] = new JsonObject
            {
                ["namespace"] = ns,
                ["code"] = code,
                ["name"] = code == "_companies" ? "Компании" : "Контакты",
                ["fields"] = new JsonArray([.. SchemeFields.Order(StringComparer.Ordinal).Select(code =>
                {
                    var known = StandardFieldTypes.FirstOrDefault(f => f.Code == code);
                    return (JsonNode)new JsonObject { ["code"] = code, ["type"] = known.Type ?? "STRING", ["view"] = new JsonObject { ["name"] = known.Label ?? code } };
                })]),
            },
        });
    }

    /// <summary>The failure modes and the token check, common to every endpoint; null when the request may go on.</summary>
    private async Task<IResult?> RefuseAsync(HttpContext context)
    {
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            return Results.Text("Service Unavailable", statusCode: 503);
        }

        Interlocked.CompareExchange(ref _failNext, 0, -1);
        switch (Failure)
        {
            case Elma365PublicApiFailure.Down:
                context.Abort();
                return Results.Empty;
            case Elma365PublicApiFailure.Unauthorized:
                return Error(401, "unauthorized");
            case Elma365PublicApiFailure.TooManyRequests:
                context.Response.Headers.RetryAfter = "30";
                return Error(429, "too many requests");
            case Elma365PublicApiFailure.ServerError:
                return Results.Text("Service Unavailable", statusCode: 503);
            case Elma365PublicApiFailure.Garbage:
                return Results.Content("<html><body><h1>Вход в систему</h1></body></html>", "text/html", statusCode: 200);
        }

        return context.Request.Headers.Authorization.ToString() == $"Bearer {Token}"
            ? null
            : Error(403, "failed to log in");
    }

    private static bool IsKnownApp(string ns, string code) => $"{ns}/{code}" is Contacts or Companies;

    // The documented table filter: a string field matches when it contains the value, ignoring
    // case; a phone field (as the simulator reads it) when one of its numbers' digits contain the value's.
    private static bool Matches(JsonNode? field, string wanted, bool isPhone)
    {
        if (field is null)
        {
            return false;
        }

        if (!isPhone)
        {
            return field.ToString().Contains(wanted, StringComparison.OrdinalIgnoreCase);
        }

        var digits = Digits(wanted);
        return digits.Length > 0 && (field is JsonArray array ? array : [field.DeepClone()])
            .Select(p => p is JsonObject o ? o["tel"]?.ToString() : p?.ToString())
            .Any(tel => Digits(tel).Contains(digits, StringComparison.Ordinal));
    }

    private static string Digits(string? text) => new([.. (text ?? string.Empty).Where(char.IsAsciiDigit)]);

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["success"] = false, ["error"] = message }, statusCode: status);
}
