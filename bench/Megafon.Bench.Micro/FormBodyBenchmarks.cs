using BenchmarkDotNet.Attributes;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Bench.Micro;

/// <summary>Reading a form body into fields: the original FormReader path (<see cref="Baseline"/>) against today's.</summary>
[MemoryDiagnoser]
public class FormBodyBenchmarks
{
    private byte[] _body = [];

    [Params(Command.EventIncoming, Command.History, Command.Contact)]
    public Command Command { get; set; }

    [GlobalSetup]
    public void Setup() => _body = Samples.Bytes(Command);

    [Benchmark(Baseline = true)]
    public WebhookFields Before() => Baseline.TryReadForm(_body, out var fields, out _) ? fields : throw new InvalidOperationException();

    [Benchmark]
    public WebhookFields After() => WebhookBody.TryRead(WebhookBody.Format.Form, _body, out var fields, out _) ? fields : throw new InvalidOperationException();
}
