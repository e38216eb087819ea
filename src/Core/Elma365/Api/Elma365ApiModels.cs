using System.Text.Json;

namespace Megafon.Core.Elma365.Api;

/// <summary>
/// The body of <c>POST /pub/v1/app/{namespace}/{code}/list</c>: active items only, a page of
/// <see cref="Size"/>, every field, a table filter (<c>tf</c>), oldest first.
/// </summary>
public sealed record Elma365ListRequest(
    bool Active,
    int Size,
    IReadOnlyDictionary<string, bool> Fields,
    Elma365Filter? Filter,
    IReadOnlyList<Elma365Sort> SortExpressions);

/// <summary>A table filter: each field code with the value its items must contain.</summary>
public sealed record Elma365Filter(IReadOnlyDictionary<string, string> Tf);

public sealed record Elma365Sort(string Field, bool Ascending);

/// <summary>The answer of <c>list</c>: <c>{"success", "error", "result": {"result": [...], "total"}}</c>.</summary>
public sealed record Elma365ListResponse(bool Success, string? Error, Elma365ListResult? Result);

public sealed record Elma365ListResult(IReadOnlyList<JsonElement>? Result, long Total);

/// <summary>The answer of <c>GET /pub/v1/integration/{code}/voip/bindings</c>: the module's «Настроить» mapping.</summary>
public sealed record Elma365VoipBindingsResponse(IReadOnlyList<Elma365VoipBinding>? Bindings, bool? Success, string? Error);

/// <summary>One row of «Настроить»: the PBX number (the module's member id) and the ELMA365 user mapped to it.</summary>
public sealed record Elma365VoipBinding(string? Extension, string? UserId);

/// <summary>The answer of <c>GET /pub/v1/scheme/namespaces/{ns}/apps/{code}</c>, as far as the bridge reads it.</summary>
public sealed record Elma365AppSchemeResponse(bool? Success, string? Error, Elma365AppScheme? Application);

public sealed record Elma365AppScheme(string? Namespace, string? Code, string? Name, IReadOnlyList<Elma365FieldScheme>? Fields);

/// <summary>One field of an app: its code (what the settings name), its type, and how it is labelled.</summary>
public sealed record Elma365FieldScheme(string? Code, string? Type, Elma365FieldView? View);

public sealed record Elma365FieldView(string? Name);
