namespace Megafon.Infra.Tests;

/// <summary>
/// The template compiles and lints with nothing to say: infra/bicepconfig.json raises the linter
/// rules to errors, and any remaining compiler warning (BCPxxx, e.g. an unknown property or a
/// resource type without types) fails here too.
/// </summary>
public sealed class BicepToolTests
{
    public static TheoryData<string> BicepFiles() => new(Repository.BicepFiles());

    [Fact]
    public async Task Build_of_main_succeeds_without_any_diagnostic()
    {
        var run = (await CompiledTemplate.GetAsync()).Run;

        Assert.True(run.ExitCode == 0, run.Report);
        Assert.True(run.Diagnostics.Count == 0, $"{run.Diagnostics.Count} diagnostic(s):{Environment.NewLine}{run.Report}");
        Assert.True(string.IsNullOrWhiteSpace(run.StandardError), $"bicep build wrote to stderr:{Environment.NewLine}{run.Report}");
        Assert.StartsWith("{", run.StandardOutput.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_of_main_is_clean()
    {
        var run = await BicepCli.RunAsync("lint", Repository.MainBicep);

        Assert.True(run.ExitCode == 0, run.Report);
        Assert.True(run.Diagnostics.Count == 0, $"{run.Diagnostics.Count} diagnostic(s):{Environment.NewLine}{run.Report}");
        Assert.True(string.IsNullOrWhiteSpace(run.StandardError), run.Report);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_bicep_file_lints_clean_on_its_own(string file)
    {
        var run = await BicepCli.RunAsync("lint", Path.Combine(Repository.Infra, file));

        Assert.True(run.ExitCode == 0 && run.Diagnostics.Count == 0 && string.IsNullOrWhiteSpace(run.StandardError), run.Report);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_bicep_file_is_as_bicep_format_writes_it(string file)
    {
        var path = Path.Combine(Repository.Infra, file);
        var run = await BicepCli.RunAsync("format", path, "--stdout");

        Assert.True(run.ExitCode == 0, run.Report);
        var expected = Normalize(run.StandardOutput);
        var actual = Normalize(await File.ReadAllTextAsync(path));
        Assert.True(expected == actual, $"infra/{file} is not formatted; run: bicep format infra/{file}{Environment.NewLine}{FirstDifference(expected, actual)}");
    }

    [Fact]
    public void The_linter_configuration_sits_next_to_main_and_makes_rules_errors()
    {
        var config = File.ReadAllText(Path.Combine(Repository.Infra, "bicepconfig.json"));

        foreach (var rule in new[]
        {
            "no-unused-params", "no-unused-vars", "secure-parameter-default", "outputs-should-not-contain-secrets",
            "use-secure-value-for-secure-inputs", "no-hardcoded-env-urls", "prefer-interpolation", "use-resource-id-functions",
            "simplify-interpolation", "use-stable-resource-identifiers", "no-unnecessary-dependson",
        })
        {
            Assert.Matches($"\"{rule}\"\\s*:\\s*\\{{\\s*\"level\"\\s*:\\s*\"error\"", config);
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}:{Environment.NewLine}  formatted: {left}{Environment.NewLine}  file:      {right}";
            }
        }

        return string.Empty;
    }
}
