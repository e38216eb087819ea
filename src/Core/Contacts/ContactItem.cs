using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Megafon.Core.Contacts;

/// <summary>
/// One ELMA365 item (a contact, a company) as the lookup needs it: who it is, its numbers in
/// canonical form, the users responsible for it, and what orders it among equals.
/// </summary>
public sealed record ContactItem(string Id, DateTimeOffset? CreatedAt, string? Name, IReadOnlyList<string> Phones, IReadOnlyList<string> ResponsibleUserIds)
{
    // A Full Name field's parts, in the order Russian cards show them.
    private static readonly string[] FullNameParts = ["lastname", "firstname", "middlename"];

    /// <summary>
    /// Reads an item as the public API writes it: the phone field an array of
    /// <c>{"type", "tel"}</c>, the responsible field an array of user ids, the name a string (or a
    /// Full Name object). Tolerates a single value where an array is documented.
    /// </summary>
    public static ContactItem Read(JsonElement item, string nameField, string phoneField, string responsibleField)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"An item is a JSON object, not {item.ValueKind}.");
        }

        return new ContactItem(
            Text(item, "__id") ?? string.Empty,
            Text(item, "__createdAt") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            ReadName(item, nameField),
            ReadPhones(item, phoneField),
            ReadUsers(item, responsibleField));
    }

    private static string? Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? ReadName(JsonElement item, string field)
    {
        if (!item.TryGetProperty(field, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            // A Full Name field: {"lastname", "firstname", "middlename"}.
            JsonValueKind.Object => string.Join(' ', FullNameParts.Select(part => Text(value, part)).Where(p => !string.IsNullOrWhiteSpace(p))),
            _ => null,
        };
        return Clean(text);
    }

    // One line for a phone's display: control characters and runs of spaces become one space.
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            var space = char.IsWhiteSpace(c) || char.IsControl(c);
            if (!space || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(space ? ' ' : c);
            }
        }

        return builder.ToString();
    }

    // A phone: {"type", "tel"} as documented, or a bare string.
    private static List<string> ReadPhones(JsonElement item, string field) =>
        [.. Entries(item, field)
            .Select(entry => entry.ValueKind switch
            {
                JsonValueKind.Object => Text(entry, "tel"),
                JsonValueKind.String => entry.GetString(),
                _ => null,
            })
            .Select(PhoneNumber.Canonical)
            .OfType<string>()];

    // A user: an id as documented, or an object carrying one.
    private static List<string> ReadUsers(JsonElement item, string field) =>
        [.. Entries(item, field)
            .Select(entry => entry.ValueKind switch
            {
                JsonValueKind.String => entry.GetString(),
                JsonValueKind.Object => Text(entry, "id") ?? Text(entry, "__id"),
                _ => null,
            })
            .Where(id => !string.IsNullOrWhiteSpace(id))
            .OfType<string>()];

    // The values of a multiple field (an array), or its one value where a single one came instead.
    private static List<JsonElement> Entries(JsonElement item, string field)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [value];
    }
}
