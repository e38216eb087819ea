using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Megafon.Core.DependencyInjection;

/// <summary>
/// What the bridge's logs leave out, wherever they go (the console, Application Insights, the
/// host): the per-request Information lines of the Azure SDK (every queue and table call, with its
/// headers), of HttpClient, Polly and ASP.NET Core. Their warnings and errors stay. The prefixes are
/// the broadest that do this, so any setting or filter naming a narrower category (for instance
/// <c>Logging__LogLevel__Azure.Core=Information</c> while investigating) still wins over them.
/// </summary>
internal static class LoggingServiceCollectionExtensions
{
    private static readonly string[] Chatter = ["Azure", "System.Net.Http.HttpClient", "Polly", "Microsoft.AspNetCore"];

    public static IServiceCollection AddBridgeLogFilters(this IServiceCollection services) =>
        services.AddLogging(logging =>
        {
            foreach (var category in Chatter)
            {
                logging.AddFilter(category, LogLevel.Warning);
            }
        });
}
