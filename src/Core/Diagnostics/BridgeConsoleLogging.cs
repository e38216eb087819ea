using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Megafon.Core.Diagnostics;

public static class BridgeConsoleLogging
{
    /// <summary>
    /// The console as a person reads it locally: one line per entry with the call id
    /// (<see cref="BridgeConsoleFormatter"/>). Used by the DevHost, and by the worker when it runs
    /// in Development (func start, the run command), whichever folder it is started from.
    /// </summary>
    public static ILoggingBuilder AddBridgeConsole(this ILoggingBuilder logging) =>
        logging.AddConsole(options => options.FormatterName = BridgeConsoleFormatter.FormatterName)
            .AddConsoleFormatter<BridgeConsoleFormatter, ConsoleFormatterOptions>();
}
