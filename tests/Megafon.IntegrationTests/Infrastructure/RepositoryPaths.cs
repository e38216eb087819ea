namespace Megafon.IntegrationTests.Infrastructure;

internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MegafonFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MegafonFunctions.sln not found above the test directory.");
    }
}
