using System.Security.Cryptography;
using System.Text;
using Megafon.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Intake;

/// <summary>Checks the PBX's <c>crm_token</c> without leaking, through timing, how much of it matched.</summary>
public sealed class CrmTokenVerifier(IOptions<VatsOptions> options)
{
    // Hashing first makes both sides the same length, so not even the token's length leaks.
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.CrmToken));

    public bool IsValid(string? presented)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty), actual);
        return CryptographicOperations.FixedTimeEquals(actual, _expected) && !string.IsNullOrEmpty(presented);
    }
}
