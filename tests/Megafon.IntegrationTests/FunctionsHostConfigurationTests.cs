using System.Text;
using System.Text.Json.Nodes;
using Megafon.DevHost;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;
using Megafon.Testing;

namespace Megafon.IntegrationTests;

/// <summary>The Functions host with an OpenTelemetry collector (OTLP over HTTP) to export to.</summary>
public sealed class FunctionsHostTelemetryFixture : FunctionsHostFixture
{
    public OtlpSink Otlp { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Otlp = await OtlpSink.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Otlp.DisposeAsync();
    }

    // The standard OpenTelemetry variables; the host's OTLP exporter reads them in OpenTelemetry mode.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("OTEL_EXPORTER_OTLP_ENDPOINT", Otlp.Endpoint.ToString().TrimEnd('/')),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
    ];
}

/// <summary>
/// What only the Functions host can show: that it runs the repository's host.json, with the queue
/// and HTTP settings it reports, and its telemetry mode. (The DevHost has no host telemetry; it
/// reads the same queue and HTTP settings, which the tests of both hosts check by their effect.)
/// </summary>
public sealed class FunctionsHostConfigurationTests(FunctionsHostTelemetryFixture bridge) : IClassFixture<FunctionsHostTelemetryFixture>
{
    [Fact]
    public void The_host_runs_the_repositorys_host_json_with_its_queue_and_http_settings()
    {
        var app = FunctionsHostTool.AppFolder(FunctionsHostTool.CurrentConfiguration);
        var queues = Options("QueuesOptions");
        var http = Options("HttpOptions");
        var expected = RepositoryHostJson.Queues;

        Assert.Contains(bridge.HostLog, e => e.Message.StartsWith("Reading host configuration file", StringComparison.Ordinal) && e.Message.Contains(app, StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(RepositoryHostJson.Path), File.ReadAllText(Path.Combine(app, "host.json")));
        Assert.Equal(expected.BatchSize, queues["BatchSize"]!.GetValue<int>());
        Assert.Equal(expected.NewBatchThreshold, queues["NewBatchThreshold"]!.GetValue<int>());
        Assert.Equal(expected.MaxDequeueCount, queues["MaxDequeueCount"]!.GetValue<int>());
        Assert.Equal(expected.MaxPollingInterval, TimeSpan.Parse(queues["MaxPollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.VisibilityTimeout, TimeSpan.Parse(queues["VisibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Base64", queues["MessageEncoding"]!.GetValue<string>());
        Assert.Equal(HttpTriggerSettings.Load(RepositoryHostJson.Path).RoutePrefix, http["RoutePrefix"]!.GetValue<string>());
    }

    [Fact]
    public async Task TelemetryMode_OpenTelemetry_has_the_host_export_its_requests_and_logs_over_OTLP()
    {
        // In ApplicationInsights mode (the default) the host never exports over OTLP, whatever the variables say.
        await bridge.SendAllAsync([VatsScenarios.Event("INCOMING", "otel-1", "79101234567", "alexey", "703")]);
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "otel-1"), TimeSpan.FromSeconds(20));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Exported("traces", "vats/webhook") && Exported("logs", "Functions.ProcessVatsEvent")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(Exported("traces", "vats/webhook"), $"no trace of the webhook request; exports: {string.Join(", ", bridge.Otlp.Exports.Select(e => e.Signal))}");
        Assert.True(Exported("logs", "Functions.ProcessVatsEvent"), "no log of the queue-triggered invocation");
    }

    // Protobuf keeps strings as UTF-8 bytes: a span's route or a log's message can be found in the export as sent.
    private bool Exported(string signal, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bridge.Otlp.Exports.Any(e => e.Signal == signal && e.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    // The host logs each options object it runs with as JSON: "QueuesOptions\n{ ... }".
    private JsonNode Options(string name)
    {
        var entry = bridge.HostLog.First(e => e.Category == "Microsoft.Azure.WebJobs.Hosting.OptionsLoggingService" && e.Message.StartsWith(name + "\n", StringComparison.Ordinal));
        return JsonNode.Parse(entry.Message[(name.Length + 1)..])!;
    }
}
