namespace Megafon.DevHost;

/// <summary>The keys the DevHost checks where the Functions host would check function and master keys.</summary>
public sealed class DevHostOptions
{
    public const string Section = "DevHost";

    /// <summary>Accepted on AuthorizationLevel.Function endpoints (header x-functions-key or ?code=).</summary>
    public string FunctionKey { get; set; } = string.Empty;

    /// <summary>Accepted on every endpoint, and the only key for AuthorizationLevel.Admin ones.</summary>
    public string MasterKey { get; set; } = string.Empty;

    /// <summary>Off serves HTTP only, leaving queued messages where they are (tests of intake use this).</summary>
    public bool RunQueueTriggers { get; set; } = true;

    /// <summary>
    /// How long a message stays invisible while its function runs. If the storage is down when
    /// the function fails, the failure cannot be recorded and the message reappears only after
    /// this (the Functions host uses 10 minutes); tests of outages shorten it.
    /// </summary>
    public TimeSpan MessageLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where host.json is; defaults to the copy beside the DevHost.</summary>
    public string HostJsonPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "host.json");
}
