using Megafon.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>
/// When the lookup is on, prepares it at start-up so the first caller is answered within the
/// budget too: creates the <c>contacts</c> table and fetches the module's bindings, which also
/// opens the connection to ELMA365. In the background: start-up never waits for ELMA365, and a
/// failure is only logged (the first write creates the table, the first match fetches the bindings).
/// </summary>
public sealed partial class ContactLookupWarmup(ContactCache cache, VoipBindingsCache bindings, IOptions<Elma365ApiOptions> elma, ILogger<ContactLookupWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!elma.Value.IsConfigured)
        {
            return;
        }

        try
        {
            await cache.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTableFailed(logger, e.GetType().Name, e.Message);
        }

        try
        {
            await bindings.GetAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBindingsFailed(logger, e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the contacts table ({Error}: {Detail}); the first cache write creates it")]
    private static partial void LogTableFailed(ILogger logger, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the telephony module's bindings at start-up ({Error}: {Detail}); calls are answered with names only until they can be read. «Проверить подключение» says which setting to fix")]
    private static partial void LogBindingsFailed(ILogger logger, string error, string detail);
}
