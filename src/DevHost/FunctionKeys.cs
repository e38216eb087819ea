using System.Security.Cryptography;
using System.Text;
using Megafon.Core.Configuration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Megafon.DevHost;

/// <summary>
/// Checks function keys as the Functions host does: header x-functions-key or query ?code=. Like
/// the app in Azure, it has two host keys for the function level: <c>default</c>
/// (DevHost__FunctionKey) and <c>elma365</c>, whose value is Elma365__ModuleKey — the key the
/// ELMA365 module calls with and checks pushes against.
/// </summary>
internal sealed class FunctionKeys(IOptions<DevHostOptions> options, IOptions<Elma365Options> elma365)
{
    public bool Authorize(AuthorizationLevel level, HttpRequest request) =>
        level == AuthorizationLevel.Anonymous
        || LevelOf(request) is AuthorizationLevel.Admin
        || (level is AuthorizationLevel.Function or AuthorizationLevel.User && LevelOf(request) is AuthorizationLevel.Function);

    /// <summary>What the presented key opens: Admin for the master key, Function for the function key, null for none or a wrong one.</summary>
    public AuthorizationLevel? LevelOf(HttpRequest request)
    {
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        var keys = options.Value;
        return Matches(presented, keys.MasterKey) ? AuthorizationLevel.Admin
            : Matches(presented, keys.FunctionKey) || Matches(presented, elma365.Value.ModuleKey) ? AuthorizationLevel.Function
            : null;
    }

    private static bool Matches(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented) && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
