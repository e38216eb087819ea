using System.ComponentModel.DataAnnotations;

namespace Megafon.Core.Configuration;

/// <summary>Accepts an absolute http or https address; empty is left to [Required].</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUriAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string text
        || text.Length == 0
        || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
