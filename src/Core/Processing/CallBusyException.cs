namespace Megafon.Core.Processing;

/// <summary>Another worker is pushing for the same call right now; this message waits its turn.</summary>
public sealed class CallBusyException : Exception
{
    public CallBusyException()
        : base("Another message of the same call is being delivered.")
    {
    }

    public CallBusyException(string message)
        : base(message)
    {
    }

    public CallBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
