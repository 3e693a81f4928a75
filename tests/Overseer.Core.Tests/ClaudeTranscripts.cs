using System.Text.Json;

namespace Overseer.Core.Tests;

/// <summary>The recorded real CLI exchanges (from shared/reference/claude-code/transcripts).</summary>
internal static class ClaudeTranscripts
{
    /// <summary>Copied beside the tests at build time from this project's Transcripts folder.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts");

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
