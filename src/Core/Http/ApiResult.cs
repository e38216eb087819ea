namespace Megafon.Core.Http;

/// <summary>What an HTTP function answers: a status code and a JSON body. Errors are always
/// <c>{"error": code, "message": text[, "field": name]}</c>.</summary>
public sealed record ApiResult(int StatusCode, object Body)
{
    private static readonly IReadOnlyDictionary<string, string> EmptyBody = new Dictionary<string, string>();

    public static ApiResult Accepted { get; } = new(200, new Dictionary<string, string> { ["status"] = "accepted" });

    public static ApiResult EmptyObject { get; } = new(200, EmptyBody);

    public static ApiResult Ok(object body) => new(200, body);

    public static ApiResult Error(int statusCode, string code, string message, string? field = null)
    {
        var body = new Dictionary<string, string> { ["error"] = code, ["message"] = message };
        if (field is not null)
        {
            body["field"] = field;
        }

        return new ApiResult(statusCode, body);
    }
}
