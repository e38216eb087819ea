namespace Megafon.Core.Queueing;

/// <summary>A message the processor gave up on, with why, so an admin can read it and replay it.</summary>
public sealed record PoisonedMessage(
    VatsQueueMessage Message,
    string Reason,
    DateTimeOffset PoisonedAt,
    string? CallId);
