using System.Text.Json;

namespace Megafon.Infra.Tests;

/// <summary>One resource of the compiled ARM template, nested deployments included.</summary>
internal sealed record TemplateResource(string Symbol, string Type, JsonElement Body, string Module)
{
    public string Name => Body.GetProperty("name").GetString() ?? string.Empty;

    public JsonElement Properties => Body.GetProperty("properties");

    /// <summary>Whether the (possibly expression-valued) name contains <paramref name="literal"/> as a whole literal.</summary>
    public bool IsNamed(string literal) =>
        Name == literal
        || Name.Contains($"'{literal}'", StringComparison.Ordinal)
        || Name.EndsWith($"/{literal}", StringComparison.Ordinal);
}

/// <summary>One template (main or a module's nested template) with where it sits.</summary>
internal sealed record TemplateScope(string Module, JsonElement Template);

/// <summary>
/// <c>bicep build infra/main.bicep --stdout</c>, run once per test run and shared by the tests
/// that read the ARM JSON.
/// </summary>
internal sealed class CompiledTemplate
{
    private static readonly Lazy<Task<CompiledTemplate>> Instance = new(BuildAsync);

    private CompiledTemplate(BicepRun run, JsonElement? root)
    {
        Run = run;
        ParsedRoot = root;
    }

    public BicepRun Run { get; }

    private JsonElement? ParsedRoot { get; }

    public string Json => Run.StandardOutput;

    public JsonElement Root => ParsedRoot
        ?? throw new InvalidOperationException($"bicep build produced no JSON.{Environment.NewLine}{Run.Report}");

    public static Task<CompiledTemplate> GetAsync() => Instance.Value;

    /// <summary>Main template first, then every nested deployment's template, depth first.</summary>
    public IEnumerable<TemplateScope> Templates()
    {
        var pending = new Stack<TemplateScope>();
        pending.Push(new TemplateScope("main", Root));
        while (pending.Count > 0)
        {
            var scope = pending.Pop();
            yield return scope;
            foreach (var (symbol, body) in ResourcesOf(scope.Template))
            {
                if (Type(body) == "Microsoft.Resources/deployments"
                    && body.TryGetProperty("properties", out var properties)
                    && properties.TryGetProperty("template", out var nested))
                {
                    pending.Push(new TemplateScope(symbol, nested));
                }
            }
        }
    }

    public IReadOnlyList<TemplateResource> Resources() =>
        Templates()
            .SelectMany(scope => ResourcesOf(scope.Template).Select(r => new TemplateResource(r.Symbol, Type(r.Body), r.Body, scope.Module)))
            .ToList();

    public IReadOnlyList<TemplateResource> Resources(string type) =>
        Resources().Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public TemplateResource Single(string type)
    {
        var found = Resources(type);
        Assert.True(found.Count == 1, $"Expected exactly one {type}, found {found.Count}: {string.Join(", ", found.Select(r => r.Symbol))}.");
        return found[0];
    }

    private static string Type(JsonElement resource) =>
        resource.TryGetProperty("type", out var type) ? type.GetString() ?? string.Empty : string.Empty;

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name; 1.0 in an array.
    private static IEnumerable<(string Symbol, JsonElement Body)> ResourcesOf(JsonElement template)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            yield break;
        }

        if (resources.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in resources.EnumerateObject())
            {
                yield return (property.Name, property.Value);
            }
        }
        else if (resources.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in resources.EnumerateArray())
            {
                yield return ($"[{i++}]", item);
            }
        }
    }

    private static async Task<CompiledTemplate> BuildAsync()
    {
        var run = await BicepCli.RunAsync("build", Repository.MainBicep, "--stdout");
        JsonElement? root = null;
        if (run.ExitCode == 0 && !string.IsNullOrWhiteSpace(run.StandardOutput))
        {
            // A detached element: nothing to dispose while the tests share it.
            root = JsonSerializer.Deserialize<JsonElement>(run.StandardOutput);
        }

        return new CompiledTemplate(run, root);
    }
}
