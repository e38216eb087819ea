using Megafon.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Contacts;

/// <summary>Creates the <c>contacts</c> table at start-up when the lookup is on; a failure is logged, and the first write tries again.</summary>
public sealed partial class ContactCacheInitializer(ContactCache cache, IOptions<Elma365ApiOptions> elma, ILogger<ContactCacheInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!elma.Value.IsConfigured)
        {
            return;
        }

        try
        {
            await cache.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the contacts table; the first cache write creates it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
