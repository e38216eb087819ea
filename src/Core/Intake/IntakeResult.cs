namespace Megafon.Core.Intake;

/// <summary>What the webhook answers the PBX: a status code and a small JSON body.</summary>
public sealed record IntakeResult(int StatusCode, IReadOnlyDictionary<string, string> Body)
{
    private static readonly IReadOnlyDictionary<string, string> EmptyBody = new Dictionary<string, string>();

    public static IntakeResult Accepted { get; } = new(200, new Dictionary<string, string> { ["status"] = "accepted" });

    public static IntakeResult UnknownContact { get; } = new(200, EmptyBody);

    public static IntakeResult Error(int statusCode, string code, string message, string? field = null)
    {
        var body = new Dictionary<string, string> { ["error"] = code, ["message"] = message };
        if (field is not null)
        {
            body["field"] = field;
        }

        return new IntakeResult(statusCode, body);
    }
}
