namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>Which host serves the Functions app's function classes in a test.</summary>
public enum BridgeHostKind
{
    /// <summary>src/DevHost inside the test process: starts in a moment and lends tests its services and captured logs.</summary>
    DevHost,

    /// <summary>
    /// The Azure Functions host itself (shared/functions-host, run.sh) as a child process over
    /// src/Functions' build output: routing, keys, host.json and triggers as in Azure.
    /// </summary>
    FunctionsHost,
}

/// <summary>One log entry of the host serving the bridge, stamped when the host logged it.</summary>
public sealed record HostLogEntry(DateTimeOffset At, string Level, string Category, string Message);

/// <summary>A running host of the bridge, whichever kind.</summary>
internal interface IBridgeHost : IAsyncDisposable
{
    Uri BaseAddress { get; }

    IReadOnlyList<HostLogEntry> Log { get; }
}
