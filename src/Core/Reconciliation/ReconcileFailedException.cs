namespace Megafon.Core.Reconciliation;

/// <summary>A scheduled run failed (the PBX down, slow or answering garbage; storage failing): the invocation shows as failed.</summary>
public sealed class ReconcileFailedException : Exception
{
    public ReconcileFailedException()
    {
    }

    public ReconcileFailedException(string message)
        : base(message)
    {
    }

    public ReconcileFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
