using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Calls;

/// <summary>
/// Decides whether a recording link from the PBX may be shown to ELMA365 users and fetched by the
/// archiver. The link is unauthenticated, so only https addresses on the PBX's own host (or hosts
/// the admin listed) pass; anything else could send a manager's browser somewhere hostile. A link
/// on the PBX API's own origin (scheme, host and port of <c>Vats__Endpoint</c>) passes too: it is
/// trusted as much as the API the PBX key is sent to, which is what lets a local PBX simulator on
/// plain http serve recordings. A real PBX's origin is https, so this admits nothing more there.
/// </summary>
public sealed class RecordingLinkPolicy
{
    private readonly HashSet<string> _hosts;
    private readonly Uri _pbx;

    public RecordingLinkPolicy(IOptions<VatsOptions> options)
    {
        var vats = options.Value;
        _pbx = vats.EndpointAddress();
        _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { _pbx.Host };
        foreach (var host in vats.RecordingHosts.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _hosts.Add(host);
        }
    }

    /// <summary>The link when it is acceptable, else null.</summary>
    public string? Accept(string? link) =>
        link is not null
        && Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.UserInfo)
        && ((uri.Scheme == Uri.UriSchemeHttps && _hosts.Contains(uri.Host)) || IsPbxOrigin(uri))
            ? uri.AbsoluteUri
            : null;

    /// <summary>
    /// Whether <paramref name="uri"/> is on the PBX's own host, the only place the PBX key may be
    /// sent (hosts listed in <c>Vats__RecordingHosts</c> are someone else's).
    /// </summary>
    public bool IsPbxHost(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Equals(uri.Host, _pbx.Host, StringComparison.OrdinalIgnoreCase)
            && (uri.Scheme == Uri.UriSchemeHttps || IsPbxOrigin(uri));
    }

    private bool IsPbxOrigin(Uri uri) =>
        uri.Scheme == _pbx.Scheme
        && uri.Port == _pbx.Port
        && string.Equals(uri.Host, _pbx.Host, StringComparison.OrdinalIgnoreCase);
}
