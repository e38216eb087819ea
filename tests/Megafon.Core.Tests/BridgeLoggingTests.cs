using System.Text.RegularExpressions;
using Megafon.Core.DependencyInjection;
using Megafon.Core.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Megafon.Core.Tests;

/// <summary>What a person running the bridge locally reads, and what every sink leaves out.</summary>
public sealed partial class BridgeLoggingTests
{
    [Fact]
    public void A_line_of_a_call_reads_time_level_call_id_message()
    {
        var scopes = new LoggerExternalScopeProvider();
        using (scopes.Push(new Dictionary<string, object> { ["SpanId"] = "abc", ["TraceId"] = "def" }))
        using (scopes.Push(new CallLogScope("demo-in-1")))
        {
            var line = Write(LogLevel.Information, "Megafon.Core.Processing.VatsEventProcessor", "Delivered event:Incoming:703 to ELMA365 12 ms after the webhook", scopes);

            Assert.Matches(Line(), line);
            Assert.EndsWith(" info [demo-in-1] Delivered event:Incoming:703 to ELMA365 12 ms after the webhook" + Environment.NewLine, line, StringComparison.Ordinal);
            Assert.DoesNotContain("TraceId", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_line_outside_a_call_names_its_source_and_stays_one_line()
    {
        var line = Write(LogLevel.Warning, "Megafon.Core.Intake.StorageInitializer", "Could not create\nthe queues", new LoggerExternalScopeProvider(), new TimeoutException("storage\nslow"));

        Assert.Matches(Line(), line);
        Assert.Contains(" warn StorageInitializer: Could not create the queues (TimeoutException: storage slow)", line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_error_keeps_its_stack_trace_below_the_line()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("broken");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var lines = Write(LogLevel.Error, "Microsoft.Hosting.Lifetime", "Failed", null, thrown).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(" fail Microsoft.Hosting.Lifetime: Failed", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines.Skip(1), l => l.Contains(nameof(An_error_keeps_its_stack_trace_below_the_line), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Azure.Core", LogLevel.Information, false)]
    [InlineData("Azure.Core", LogLevel.Warning, true)]
    [InlineData("Azure.Storage.Blobs", LogLevel.Information, false)]
    [InlineData("System.Net.Http.HttpClient.Elma365ModuleClient.LogicalHandler", LogLevel.Information, false)]
    [InlineData("Polly", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("Megafon.Core.Processing.VatsEventProcessor", LogLevel.Information, true)]
    public void The_bridge_leaves_out_the_SDKs_per_request_lines_but_not_their_warnings(string category, LogLevel level, bool enabled)
    {
        using var provider = Bridge([]);

        Assert.Equal(enabled, provider.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(level));
    }

    [Fact]
    public void A_setting_naming_a_narrower_category_still_wins()
    {
        using var provider = Bridge(new() { ["Logging:LogLevel:Azure.Core"] = "Information" });

        Assert.True(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Azure.Core").IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider Bridge(Dictionary<string, string?> settings)
    {
        settings["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddBridgeConsole());
        services.AddMegafonBridge(configuration);
        return services.BuildServiceProvider();
    }

    private static string Write(LogLevel level, string category, string message, IExternalScopeProvider? scopes, Exception? exception = null)
    {
        using var text = new StringWriter();
        var entry = new LogEntry<string>(level, category, default, message, exception, (state, _) => state);
        new BridgeConsoleFormatter().Write(entry, scopes, text);
        return text.ToString();
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (info|warn|fail) ")]
    private static partial Regex Line();
}
