using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Megafon.Core.Vats.Webhooks;

/// <summary>
/// Turns a webhook body into <see cref="WebhookFields"/>. The PBX posts form-encoded bodies;
/// some builds post JSON with the same names, so both are read into one shape.
/// </summary>
public static class WebhookBody
{
    private const string FormMediaType = "application/x-www-form-urlencoded";
    private const string JsonMediaType = "application/json";

    /// <summary>
    /// The most fields one webhook may carry. The PBX sends under twenty, plus the occasional
    /// new one; the bound keeps the work done before the token is checked small, and the queue
    /// message's per-field overhead known (<see cref="Queueing.QueueMessageSize"/>).
    /// </summary>
    public const int MaxFields = 100;

    public enum Format
    {
        Form,
        Json,
    }

    /// <summary>The body format named by a Content-Type header, or null when this webhook cannot take it.</summary>
    public static Format? DetectFormat(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var header) || header.MediaType is null)
        {
            return null;
        }

        if (header.CharSet is { } charset
            && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Trim('"').Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (header.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Format.Form;
        }

        return header.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) ? Format.Json : null;
    }

    /// <summary>Reads the fields, or explains why the body is not a well-formed set of fields.</summary>
    public static bool TryRead(Format format, ReadOnlySpan<byte> body, out WebhookFields fields, out WebhookError? error) =>
        format == Format.Form ? TryReadForm(body, out fields, out error) : TryReadJson(body, out fields, out error);

    private static bool TryReadForm(ReadOnlySpan<byte> body, out WebhookFields fields, out WebhookError? error)
    {
        // FormReader decodes '+' as space and percent-escapes as UTF-8, and keeps values that contain '='.
        // Pair by pair rather than ReadForm: its multi-value dictionary would be built only to be copied
        // (bench/README.md: 5.0 KB → 3.0 KB per webhook). The dictionary is sized from the separators,
        // but never beyond the field limit: this runs before the token is checked, and 16 KB of '&'
        // must not buy anyone a 16,000-entry dictionary.
        using var reader = new FormReader(Encoding.UTF8.GetString(body)) { ValueCountLimit = MaxFields };
        var pairs = new Dictionary<string, string>(Math.Min(body.Count((byte)'&') + 1, MaxFields), StringComparer.OrdinalIgnoreCase);
        try
        {
            var count = 0;
            while (reader.ReadNextPair() is { } pair)
            {
                if (++count > MaxFields)
                {
                    // FormReader's own words, so this reads exactly as ReadForm would (bench/ checks it).
                    throw new InvalidDataException($"Form value count limit {MaxFields} exceeded.");
                }

                pairs.TryAdd(pair.Key, pair.Value);
            }
        }
        catch (InvalidDataException e)
        {
            fields = Empty;
            error = WebhookError.Malformed($"The form body cannot be read: {e.Message}");
            return false;
        }

        fields = WebhookFields.Adopt(pairs);
        error = null;
        return true;
    }

    private static bool TryReadJson(ReadOnlySpan<byte> body, out WebhookFields fields, out WebhookError? error)
    {
        fields = Empty;
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = WebhookError.Malformed("The JSON body must be an object of fields.");
                return false;
            }

            var count = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (++count > MaxFields)
                {
                    throw new JsonException($"A webhook has at most {MaxFields} fields.");
                }

                var name = reader.GetString()!;
                reader.Read();
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Null => null,
                    _ => throw new JsonException($"The field '{name}' must be a string, number or boolean."),
                };
                if (value is not null)
                {
                    pairs.TryAdd(name, value);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = WebhookError.Malformed("The JSON body has content after its object.");
                return false;
            }
        }
        catch (JsonException e)
        {
            error = WebhookError.Malformed($"The JSON body cannot be read: {e.Message}");
            return false;
        }
        catch (InvalidOperationException e)
        {
            // GetString throws this, not JsonException, for an escape that is half a surrogate pair ("\ud800").
            error = WebhookError.Malformed($"The JSON body cannot be read: {e.Message}");
            return false;
        }

        fields = WebhookFields.Adopt(pairs);
        error = null;
        return true;
    }

    private static WebhookFields Empty => new(new Dictionary<string, string>());
}
