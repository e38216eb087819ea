using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>
/// Accepts an absolute https address, or plain http to this machine's loopback (the local
/// simulators and the tests); empty is left to [Required]. The addresses it guards receive keys
/// with every request, which plain http would send in the clear to anyone on the way.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecureUriAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsAllowed(uri));

    /// <summary>https anywhere, http only to loopback (127.0.0.0/8, ::1, localhost); never credentials in the address.</summary>
    public static bool IsAllowed(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
    }
}
