namespace Megafon.Core.Elma365.Module;

/// <summary>ELMA365 did not take a message. <see cref="IsTransient"/> tells whether trying later can help.</summary>
public sealed class Elma365DeliveryException : Exception
{
    public Elma365DeliveryException(string message, int? statusCode, bool isTransient, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public Elma365DeliveryException()
        : this("ELMA365 did not take the message.", null, true)
    {
    }

    public Elma365DeliveryException(string message)
        : this(message, null, true)
    {
    }

    public Elma365DeliveryException(string message, Exception innerException)
        : this(message, null, true, null, innerException)
    {
    }

    /// <summary>The HTTP status ELMA365 answered, or null when it did not answer at all.</summary>
    public int? StatusCode { get; }

    /// <summary>408, 429, 5xx, timeouts and refused connections: ELMA365 is slow or down, not refusing.</summary>
    public bool IsTransient { get; }

    /// <summary>How long ELMA365 asked us to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The push went out and no clear answer came back (a timeout, a connection broken after the
    /// request, a gateway error): ELMA365 may have taken it. The retry then repeats it, with the same messageId.
    /// </summary>
    public bool AnswerMayBeLost { get; init; }
}
