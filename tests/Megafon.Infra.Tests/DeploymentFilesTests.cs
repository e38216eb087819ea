using System.Text.Json;
using System.Text.RegularExpressions;

namespace Megafon.Infra.Tests;

/// <summary>main.parameters.json and azure.yaml agree with main.bicep and the repository.</summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [Fact]
    public async Task The_parameters_file_supplies_every_parameter_main_requires()
    {
        var template = await CompiledTemplate.GetAsync();
        var supplied = ParametersFile();

        var required = template.Root.GetProperty("parameters").EnumerateObject()
            .Where(p => !p.Value.TryGetProperty("defaultValue", out _))
            .Select(p => p.Name)
            .ToList();
        Assert.NotEmpty(required);
        var missing = required.Where(name => !supplied.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, $"main.parameters.json lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task The_parameters_file_names_only_parameters_main_declares()
    {
        var declared = (await CompiledTemplate.GetAsync()).Root.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();

        var unknown = ParametersFile().Keys.Where(name => !declared.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"main.parameters.json sets parameters main.bicep does not declare: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_value_in_the_parameters_file_comes_from_the_azd_environment_so_no_secret_is_committed()
    {
        var literal = ParametersFile().Where(p => !AzdReference().IsMatch(p.Value)).Select(p => $"{p.Key} = {p.Value}").ToList();

        Assert.True(literal.Count == 0, $"Not an azd ${{VAR}} reference: {string.Join("; ", literal)}");
    }

    [Theory]
    [InlineData("environmentName", "AZURE_ENV_NAME")]
    [InlineData("location", "AZURE_LOCATION")]
    [InlineData("vatsApiKey", "VATS_API_KEY")]
    [InlineData("vatsCrmToken", "VATS_CRM_TOKEN")]
    [InlineData("elma365Token", "ELMA365_TOKEN")]
    [InlineData("elma365ModuleKey", "ELMA365_MODULE_KEY")]
    public void The_parameter_comes_from_the_environment_variable(string parameter, string variable)
    {
        Assert.Equal($"${{{variable}}}", ParametersFile()[parameter]);
    }

    [Fact]
    public void Azure_yaml_deploys_the_Functions_project_as_the_api_service()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "azure.yaml"))
            .Where(l => !l.TrimStart().StartsWith('#') && !string.IsNullOrWhiteSpace(l))
            .ToList();

        Assert.Contains(lines, l => Regex.IsMatch(l, @"^name:\s*\S+"));
        var services = lines.FindIndex(l => l.TrimEnd() == "services:");
        Assert.True(services >= 0, "azure.yaml has no services section.");
        var api = lines.FindIndex(services, l => l.Trim() == "api:");
        Assert.True(api > services, "azure.yaml has no api service.");
        var body = lines.Skip(api + 1).TakeWhile(l => Indent(l) > Indent(lines[api])).Select(l => l.Trim()).ToList();
        Assert.Contains("project: ./src/Functions", body);
        Assert.Contains("language: dotnet", body);
        Assert.Contains("host: function", body);

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Repository.Root, "src", "Functions"), "*.csproj"));
    }

    [Fact]
    public async Task The_infra_readme_documents_every_parameter_of_main()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Infra, "README.md"));

        var parameters = (await CompiledTemplate.GetAsync()).Root.GetProperty("parameters").EnumerateObject().Select(p => p.Name);
        Assert.All(parameters, p => Assert.Contains($"`{p}`", readme, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*\}$")]
    private static partial Regex AzdReference();

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static Dictionary<string, string> ParametersFile()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json")), Lenient);
        return document.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("value").ValueKind == JsonValueKind.String
                ? p.Value.GetProperty("value").GetString() ?? string.Empty
                : p.Value.GetProperty("value").GetRawText());
    }
}
