using Microsoft.Extensions.Logging;

namespace Megafon.Core.Diagnostics;

public static class LoggerScopes
{
    /// <summary>Puts the call id on every log line of a call's journey, so one query finds them all.</summary>
    public static IDisposable? BeginCallScope(this ILogger logger, string? callId) =>
        callId is null ? null : logger.BeginScope(new CallLogScope(callId));
}
