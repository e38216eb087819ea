namespace Megafon.Core.Recordings;

/// <summary>The recording can never be archived as asked (too large, not audio, refused, not allowed): poison it.</summary>
public sealed class RecordingRefusedException : Exception
{
    public RecordingRefusedException()
    {
    }

    public RecordingRefusedException(string message)
        : base(message)
    {
    }

    public RecordingRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The recording cannot be had right now (not ready yet, the PBX failing): try again later.</summary>
public sealed class RecordingUnavailableException : Exception
{
    public RecordingUnavailableException()
    {
    }

    public RecordingUnavailableException(string message)
        : base(message)
    {
    }

    public RecordingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RecordingUnavailableException(string message, TimeSpan? retryAfter)
        : base(message) => RetryAfter = retryAfter;

    /// <summary>How long the PBX asked us to wait (Retry-After), when it did.</summary>
    public TimeSpan? RetryAfter { get; }
}
