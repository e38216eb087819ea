using System.Text;
using Megafon.Core.Vats.Webhooks;
using Microsoft.AspNetCore.WebUtilities;

namespace Megafon.Bench.Micro;

/// <summary>
/// The form reading of src/Core/Vats/Webhooks/WebhookBody.cs as it was before the optimisation
/// (FormReader.ReadForm, then a copy), kept verbatim so the before/after stays measurable and
/// today's reader can be checked against it (<see cref="Equivalence"/>). Only the value-count
/// limit follows today's (<see cref="WebhookBody.MaxFields"/>), a rule both must keep alike.
/// </summary>
public static class Baseline
{
    public static bool TryReadForm(ReadOnlySpan<byte> body, out WebhookFields fields, out WebhookError? error)
    {
        // FormReader decodes '+' as space and percent-escapes as UTF-8, and keeps values that contain '='.
        using var reader = new FormReader(Encoding.UTF8.GetString(body)) { ValueCountLimit = WebhookBody.MaxFields };
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var (key, values) in reader.ReadForm())
            {
                pairs.TryAdd(key, values.Count > 0 ? values[0] ?? string.Empty : string.Empty);
            }
        }
        catch (InvalidDataException e)
        {
            fields = new WebhookFields(new Dictionary<string, string>());
            error = WebhookError.Malformed($"The form body cannot be read: {e.Message}");
            return false;
        }

        fields = new WebhookFields(pairs);
        error = null;
        return true;
    }
}
