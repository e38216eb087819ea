using Megafon.Core.DependencyInjection;
using Megafon.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddMegafonBridge(builder.Configuration);
builder.Services.AddBridgeTelemetry(builder.Configuration);
builder.Build().Run();
