using Megafon.Core.DependencyInjection;
using Megafon.Functions;
using Megafon.Functions.Timer;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddMegafonBridge(builder.Configuration);
builder.Services.AddBridgeTelemetry(builder.Configuration);
builder.Services.AddSingleton<IFunctionMetadataTransformer, TimerScheduleDefaults>();
builder.Build().Run();
