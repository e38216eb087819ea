namespace Megafon.Infra.Tests;

/// <summary>Paths in the repository, found from the test assembly's folder.</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>MegafonFunctions.sln</c>.</summary>
    public static string Root => Megafon.Testing.RepositoryFolder.Root;

    public static string Infra => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(Infra, "main.bicep");

    /// <summary>Every .bicep file under infra/, relative to infra/ with forward slashes.</summary>
    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Infra, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
