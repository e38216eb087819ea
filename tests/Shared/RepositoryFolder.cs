namespace Megafon.Testing;

/// <summary>The repository's root folder (the one holding MegafonFunctions.sln), found from the test build's folder.</summary>
internal static class RepositoryFolder
{
    private const string SolutionFile = "MegafonFunctions.sln";

    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} in {AppContext.BaseDirectory} or any folder above it: run the tests from a build inside the repository.");
    }
}
