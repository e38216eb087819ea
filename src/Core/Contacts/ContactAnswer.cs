using Megafon.Core.Http;

namespace Megafon.Core.Contacts;

/// <summary>
/// What the PBX is told about a caller: the name shown on the manager's phone and the PBX number
/// (the ELMA365 module's member id: extension or login) to ring first. Either may be absent.
/// </summary>
public sealed record ContactAnswer(string? Name, string? Responsible)
{
    public static ContactAnswer Unknown { get; } = new(null, null);

    public bool IsUnknown => Name is null && Responsible is null;

    /// <summary><c>{"contact_name": ..., "responsible": ...}</c> with the fields there are; <c>{}</c> for an unknown caller.</summary>
    public ApiResult ToApiResult()
    {
        if (IsUnknown)
        {
            return ApiResult.EmptyObject;
        }

        var body = new Dictionary<string, string>(2);
        if (Name is not null)
        {
            body["contact_name"] = Name;
        }

        if (Responsible is not null)
        {
            body["responsible"] = Responsible;
        }

        return ApiResult.Ok(body);
    }
}
