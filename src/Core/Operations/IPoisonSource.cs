using Azure.Storage.Queues;

namespace Megafon.Core.Operations;

/// <summary>A queue whose poison queue the admin endpoints list and replay.</summary>
internal interface IPoisonSource
{
    /// <summary>The queue's name, as the admin names it (<c>?queue=</c>).</summary>
    string Name { get; }

    /// <summary>The poison queue, read undecoded: the Functions host moves a message it cannot decode there as it is.</summary>
    QueueClient Poison { get; }

    PoisonEntry Read(BinaryData stored);

    /// <summary>Whether putting it back can still do anything, judged against the call's row now.</summary>
    Task<ReplayVerdict> JudgeAsync(PoisonEntry entry, CancellationToken cancellationToken);

    /// <summary>Puts it back on its queue as a first attempt.</summary>
    Task PutBackAsync(PoisonEntry entry, CancellationToken cancellationToken);

    /// <summary>Records in the call's row that it was dropped, where the row keeps such an account.</summary>
    Task AccountDropAsync(PoisonEntry entry, CancellationToken cancellationToken);
}
