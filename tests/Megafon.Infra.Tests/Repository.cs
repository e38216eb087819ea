namespace Megafon.Infra.Tests;

/// <summary>Paths in the repository, found from the test assembly's folder.</summary>
internal static class Repository
{
    private const string SolutionFile = "MegafonFunctions.sln";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding <c>MegafonFunctions.sln</c>.</summary>
    public static string Root => RootPath.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(Infra, "main.bicep");

    /// <summary>Every .bicep file under infra/, relative to infra/ with forward slashes.</summary>
    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Infra, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {SolutionFile} in {AppContext.BaseDirectory} or any folder above it; the infra tests must run from a build inside the repository.");
    }
}
