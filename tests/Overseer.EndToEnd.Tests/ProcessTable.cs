using System.Globalization;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>Reads /proc: which live processes an agent started.</summary>
internal static class ProcessTable
{
    /// <summary>Every live process started by <paramref name="root"/>, however deep.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var (pid, fields) in All())
            parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var found = new List<int>();
        foreach (var pid in parents.Keys)
        {
            for (var p = parents[pid]; p > 1 && parents.ContainsKey(p); p = parents[p])
            {
                if (p == root)
                {
                    found.Add(pid);
                    break;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Waits until <paramref name="root"/> has started a process named <paramref name="name"/>
    /// (the tool call's event comes before the CLI forks the tool), then returns every descendant.
    /// </summary>
    public static Task<List<int>> WaitForDescendantAsync(int root, string name) =>
        Poll.UntilAsync(
            () => Task.FromResult(Descendants(root)),
            pids => pids.Any(pid => NameOf(pid) == name),
            TimeSpan.FromSeconds(30),
            $"process {root} to start '{name}'");

    private static string? NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<(int Pid, string[] Fields)> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z")
                yield return (pid, fields);
        }
    }
}
