using Megafon.Core.DependencyInjection;
using Megafon.Core.Diagnostics;
using Megafon.Functions;
using Megafon.Functions.Timer;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddMegafonBridge(builder.Configuration);
builder.Services.AddBridgeTelemetry(builder.Configuration);
builder.Services.AddSingleton<IFunctionMetadataTransformer, TimerScheduleDefaults>();

// Locally (func start, the run command: AZURE_FUNCTIONS_ENVIRONMENT=Development) the host's console
// is where a person looks, but with the worker's OpenTelemetry on the host no longer prints the
// worker's log lines; the worker prints them itself, one line each with the call id, and the host
// passes its console through. In Azure (Production) the OpenTelemetry export is the only path.
if (builder.Environment.IsDevelopment())
{
    builder.Logging.AddBridgeConsole();

    // The worker's own Kestrel behind the host, on a port of its own: its address is not the bridge's.
    builder.Logging.AddFilter<ConsoleLoggerProvider>("Microsoft.Hosting.Lifetime", LogLevel.Warning);
}

builder.Build().Run();
