using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Calls;

/// <summary>
/// Decides whether a recording link from the PBX may be shown to ELMA365 users. The link is
/// unauthenticated, so only https addresses on the PBX's own host (or hosts the admin listed)
/// pass; anything else could send a manager's browser somewhere hostile.
/// </summary>
public sealed class RecordingLinkPolicy
{
    private readonly HashSet<string> _hosts;

    public RecordingLinkPolicy(IOptions<VatsOptions> options)
    {
        var vats = options.Value;
        _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { vats.EndpointAddress().Host };
        foreach (var host in vats.RecordingHosts.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _hosts.Add(host);
        }
    }

    /// <summary>The link when it is acceptable, else null.</summary>
    public string? Accept(string? link) =>
        link is not null
        && Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && string.IsNullOrEmpty(uri.UserInfo)
        && _hosts.Contains(uri.Host)
            ? uri.AbsoluteUri
            : null;
}
