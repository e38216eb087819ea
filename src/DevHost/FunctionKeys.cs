using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Megafon.DevHost;

/// <summary>Checks function keys as the Functions host does: header x-functions-key or query ?code=.</summary>
internal sealed class FunctionKeys(IOptions<DevHostOptions> options)
{
    public bool Authorize(AuthorizationLevel level, HttpRequest request)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        var keys = options.Value;
        return Matches(presented, keys.MasterKey)
            || (level is AuthorizationLevel.Function or AuthorizationLevel.User && Matches(presented, keys.FunctionKey));
    }

    private static bool Matches(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented) && !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
