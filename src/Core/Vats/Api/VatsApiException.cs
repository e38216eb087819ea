namespace Megafon.Core.Vats.Api;

/// <summary>A PBX command failed; <see cref="Failure"/> says why, the message says it for people.</summary>
public sealed class VatsApiException : Exception
{
    public VatsApiException(VatsApiFailure failure, string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    public VatsApiException()
        : this(VatsApiFailure.Unavailable, "The PBX command failed.")
    {
    }

    public VatsApiException(string message)
        : this(VatsApiFailure.Unavailable, message)
    {
    }

    public VatsApiException(string message, Exception innerException)
        : this(VatsApiFailure.Unavailable, message, null, innerException)
    {
    }

    public VatsApiFailure Failure { get; }

    public int? StatusCode { get; }
}
