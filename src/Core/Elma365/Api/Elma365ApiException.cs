namespace Megafon.Core.Elma365.Api;

/// <summary>A call to ELMA365's public API failed; <see cref="Failure"/> says why, the message says it for people.</summary>
public sealed class Elma365ApiException : Exception
{
    public Elma365ApiException(Elma365ApiFailure failure, string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    public Elma365ApiException()
        : this(Elma365ApiFailure.Unavailable, "The ELMA365 API call failed.")
    {
    }

    public Elma365ApiException(string message)
        : this(Elma365ApiFailure.Unavailable, message)
    {
    }

    public Elma365ApiException(string message, Exception innerException)
        : this(Elma365ApiFailure.Unavailable, message, null, innerException)
    {
    }

    public Elma365ApiFailure Failure { get; }

    public int? StatusCode { get; }

    /// <summary>The reason as a metric tag and log word: invalid_token, timeout, ...</summary>
    public string Reason => Failure switch
    {
        Elma365ApiFailure.InvalidToken => "invalid_token",
        Elma365ApiFailure.Forbidden => "forbidden",
        Elma365ApiFailure.NotFound => "not_found",
        Elma365ApiFailure.BadRequest => "bad_request",
        Elma365ApiFailure.Throttled => "throttled",
        Elma365ApiFailure.Timeout => "timeout",
        Elma365ApiFailure.InvalidResponse => "invalid_response",
        Elma365ApiFailure.WrongAddress => "wrong_address",
        _ => "unavailable",
    };
}
