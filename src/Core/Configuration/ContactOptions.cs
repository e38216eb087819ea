using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Megafon.Core.Configuration;

/// <summary>
/// How <c>contact</c> is answered from ELMA365 (when <see cref="Elma365ApiOptions"/> is configured):
/// which apps are searched, which of their fields hold the phone, the name and the responsible
/// user, and how long the PBX may wait for the answer.
/// </summary>
public sealed partial class ContactOptions : IValidatableObject
{
    public const string Section = "Contact";

    public const string DefaultApps = "_clients/_contacts,_clients/_companies";

    /// <summary>Apps searched, in order of preference, as <c>namespace/code</c>, comma-separated.</summary>
    public string Apps { get; set; } = DefaultApps;

    [Required(ErrorMessage = "Contact__PhoneField must name the phone field, e.g. _phone.")]
    [RegularExpression(FieldCodePattern, ErrorMessage = "Contact__PhoneField must be a field code such as _phone (letters, digits, '_').")]
    public string PhoneField { get; set; } = "_phone";

    [Required(ErrorMessage = "Contact__NameField must name the field shown as the caller's name, e.g. __name.")]
    [RegularExpression(FieldCodePattern, ErrorMessage = "Contact__NameField must be a field code such as __name (letters, digits, '_').")]
    public string NameField { get; set; } = "__name";

    [Required(ErrorMessage = "Contact__ResponsibleField must name the responsible user's field, e.g. _responsible.")]
    [RegularExpression(FieldCodePattern, ErrorMessage = "Contact__ResponsibleField must be a field code such as _responsible (letters, digits, '_').")]
    public string ResponsibleField { get; set; } = "_responsible";

    /// <summary>The whole lookup, cache and ELMA365 together, ends within this; after it the PBX gets <c>{}</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:05", ErrorMessage = "Contact__Budget must be between 00:00:00.050 and 00:00:05: the phone is ringing.")]
    public TimeSpan Budget { get; set; } = TimeSpan.FromMilliseconds(700);

    /// <summary>How long a found client is answered from the cache before ELMA365 is asked again (0: not cached).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Contact__CacheTtl must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an unknown number is answered <c>{}</c> from the cache (0: not cached); shorter, so a new client shows up soon.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Contact__MissCacheTtl must be between 00:00:00 and 1.00:00:00.")]
    public TimeSpan MissCacheTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the module's «Настроить» mapping is kept in memory.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Contact__BindingsCacheTtl must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan BindingsCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    private const string FieldCodePattern = "^[A-Za-z0-9_]+$";

    /// <summary>The apps of <see cref="Apps"/>, in order. A method: validation reads every property.</summary>
    public IReadOnlyList<Elma365AppRef> AppList() =>
        [.. Apps.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Elma365AppRef.Parse).Distinct()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var entries = (Apps ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            yield return new ValidationResult($"Contact__Apps must list at least one app as namespace/code, e.g. {DefaultApps}.", [nameof(Apps)]);
        }

        foreach (var entry in entries.Where(e => !AppPattern().IsMatch(e)))
        {
            yield return new ValidationResult($"Contact__Apps: '{entry}' is not namespace/code (e.g. _clients/_contacts); list apps comma-separated.", [nameof(Apps)]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]+/[A-Za-z0-9_]+$")]
    private static partial Regex AppPattern();
}

/// <summary>An ELMA365 app: its workspace (namespace) code and its own code, as in its address.</summary>
public sealed record Elma365AppRef(string Namespace, string Code)
{
    public static Elma365AppRef Parse(string text)
    {
        var parts = (text ?? string.Empty).Trim().Split('/');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? new Elma365AppRef(parts[0], parts[1])
            : throw new FormatException($"'{text}' is not namespace/code.");
    }

    public override string ToString() => $"{Namespace}/{Code}";
}
