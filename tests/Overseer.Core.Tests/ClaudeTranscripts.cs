using System.Text.Json;

namespace Overseer.Core.Tests;

/// <summary>The recorded real CLI exchanges in shared/reference/claude-code/transcripts.</summary>
internal static class ClaudeTranscripts
{
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Overseer.slnx")))
                    return Path.Combine(dir.FullName, "..", "shared", "reference", "claude-code", "transcripts");
            }
            throw new InvalidOperationException("Overseer.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static IEnumerable<string> Names => System.IO.Directory.GetFiles(Directory, "*.jsonl").Select(Path.GetFileName).Order()!;

    /// <summary>The messages the CLI wrote, in order.</summary>
    public static IReadOnlyList<JsonElement> FromCli(string name) =>
        File.ReadLines(Path.Combine(Directory, name))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.GetProperty("dir").GetString() == "from_cli")
            .Select(entry => entry.GetProperty("msg").Clone())
            .ToList();
}
