using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Megafon.Core.Diagnostics;

/// <summary>
/// One line per entry, for the person watching a local run: time, level, the call id when the entry
/// belongs to a call (its <see cref="CallLogScope"/>), the message. The built-in simple formatter
/// would print every scope before the message (trace ids, ASP.NET Core's request scopes, the
/// worker's invocation), burying the call id in a line of two hundred characters. Errors keep their
/// stack trace on the lines below; a warning's exception is summed up on its own line.
/// </summary>
public sealed class BridgeConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "bridge";

    private const string CategoryPrefix = "Megafon.";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        var exception = logEntry.Exception;
        if (message.Length == 0 && exception is null)
        {
            return;
        }

        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(' ');
        if (CallIdOf(scopeProvider) is { } callId)
        {
            textWriter.Write('[');
            textWriter.Write(callId);
            textWriter.Write("] ");
        }
        else
        {
            textWriter.Write(ShortCategory(logEntry.Category));
            textWriter.Write(": ");
        }

        textWriter.Write(OneLine(message));
        if (exception is not null && logEntry.LogLevel < LogLevel.Error)
        {
            textWriter.Write(" (");
            textWriter.Write(exception.GetType().Name);
            textWriter.Write(": ");
            textWriter.Write(OneLine(exception.Message));
            textWriter.Write(')');
        }

        textWriter.WriteLine();
        if (exception is not null && logEntry.LogLevel >= LogLevel.Error)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }

    // The innermost call scope wins: a replay or a reconciliation run logs each call inside its own.
    private static string? CallIdOf(IExternalScopeProvider? scopes)
    {
        var found = new string?[1];
        scopes?.ForEachScope(
            static (scope, callId) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        if (key == CallLogScope.Key && value is string id)
                        {
                            callId[0] = id;
                        }
                    }
                }
            },
            found);
        return found[0];
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    // Our own types by their name (VatsWebhookIntake); anything else by its whole category.
    private static string ShortCategory(string category) =>
        category.StartsWith(CategoryPrefix, StringComparison.Ordinal) ? category[(category.LastIndexOf('.') + 1)..] : category;

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) ? text.ReplaceLineEndings(" ") : text;
}
