namespace Megafon.Core.Vats.Webhooks;

/// <summary>Why a webhook was refused, naming the field at fault when there is one.</summary>
public sealed record WebhookError(string Code, string Message, string? Field = null)
{
    public static WebhookError MissingField(string field) =>
        new("missing_field", $"The field '{field}' is required.", field);

    public static WebhookError InvalidField(string field, string why) =>
        new("invalid_field", $"The field '{field}' {why}", field);

    public static WebhookError Malformed(string why) => new("malformed_body", why);
}
