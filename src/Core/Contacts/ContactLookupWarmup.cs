using Megafon.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>
/// When the lookup is on, prepares it at start-up so the first caller is answered within the
/// budget too: creates the <c>contacts</c> table, fetches the module's bindings, and reads one
/// item of each app (connections opened, the search path compiled). In the background: start-up
/// never waits for ELMA365, and a failure is only logged (the first write creates the table, the
/// first match fetches the bindings).
/// </summary>
public sealed partial class ContactLookupWarmup(ContactCache cache, VoipBindingsCache bindings, ContactLookup lookup, IOptions<Elma365ApiOptions> elma, ILogger<ContactLookupWarmup> logger) : BackgroundService
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

        try
        {
            await lookup.WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSearchFailed(logger, e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the contacts table ({Error}: {Detail}); the first cache write creates it")]
    private static partial void LogTableFailed(ILogger logger, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the telephony module's bindings at start-up ({Error}: {Detail}); calls are answered with names only until they can be read. «Проверить подключение» says which setting to fix")]
    private static partial void LogBindingsFailed(ILogger logger, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the contact apps at start-up ({Error}: {Detail}); «Проверить подключение» says which setting to fix")]
    private static partial void LogSearchFailed(ILogger logger, string error, string detail);
}
