using Megafon.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Megafon.Core.DependencyInjection;

/// <summary>The processor's settings: bound from Processing__*, checked alone and against Elma365__Timeout at start-up.</summary>
internal static class ProcessingServiceCollectionExtensions
{
    public static IServiceCollection AddProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProcessingOptions>, ProcessingOptionsValidator>();
        return services;
    }
}
