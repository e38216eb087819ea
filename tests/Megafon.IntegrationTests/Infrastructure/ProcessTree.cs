using System.Diagnostics;
using System.Globalization;

namespace Megafon.IntegrationTests.Infrastructure;

/// <summary>Child processes from /proc, so a host's worker is stopped with it even if the host dies first.</summary>
internal static class ProcessTree
{
    public static IReadOnlyList<(int Id, DateTime Started)> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && ParentOf(id) is { } parent)
            {
                parents[id] = parent;
            }
        }

        var found = new List<(int, DateTime)>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == current))
            {
                if (StartTime(child) is { } started)
                {
                    found.Add((child, started));
                    frontier.Enqueue(child);
                }
            }
        }

        return found;
    }

    /// <summary>Kills those still running; the start time guards against a recycled process id.</summary>
    public static void KillSurvivors(IEnumerable<(int Id, DateTime Started)> processes)
    {
        foreach (var (id, started) in processes)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                if (!process.HasExited && process.StartTime == started)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private static int? ParentOf(int id)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTime? StartTime(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
