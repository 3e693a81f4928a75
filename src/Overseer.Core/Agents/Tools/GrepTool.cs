using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// Claude Code's <c>Grep</c> (ripgrep's options, run in-process): a regular expression searched in
/// the session's files, answered as matching files (default), matching lines or counts.
/// </summary>
internal sealed class GrepTool : IAgentTool
{
    private const long MaxFileBytes = 10 * 1024 * 1024;

    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["cs"] = "*.cs", ["js"] = "*.{js,mjs,cjs,jsx}", ["ts"] = "*.{ts,tsx,mts,cts}", ["py"] = "*.{py,pyi}", ["go"] = "*.go",
        ["rust"] = "*.rs", ["java"] = "*.java", ["c"] = "*.{c,h}", ["cpp"] = "*.{cpp,cc,cxx,hpp,hh,h}", ["md"] = "*.{md,markdown}",
        ["json"] = "*.json", ["yaml"] = "*.{yaml,yml}", ["html"] = "*.{html,htm}", ["css"] = "*.{css,scss}", ["sh"] = "*.{sh,bash}",
        ["rb"] = "*.rb", ["php"] = "*.php", ["kotlin"] = "*.{kt,kts}", ["swift"] = "*.swift", ["sql"] = "*.sql", ["xml"] = "*.{xml,csproj,props,targets}",
    };

    public ToolDefinition Definition { get; } = new("Grep",
        "Searches file contents with a regular expression (ripgrep syntax), e.g. \"log.*Error\". Filter files with glob (e.g. \"*.js\") or type (e.g. \"py\"). " +
        "output_mode: \"files_with_matches\" (default) lists files, \"content\" shows matching lines (-n for line numbers, -A/-B/-C for context), \"count\" counts matches per file.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "pattern":{"type":"string","description":"The regular expression pattern to search for in file contents"},
          "path":{"type":"string","description":"File or directory to search in. Defaults to the working directory."},
          "glob":{"type":"string","description":"Glob pattern to filter files (e.g. \"*.js\", \"*.{ts,tsx}\")"},
          "type":{"type":"string","description":"File type to search (e.g. js, py, rust, go, java)"},
          "output_mode":{"type":"string","enum":["content","files_with_matches","count"],"description":"Output mode; defaults to files_with_matches"},
          "-i":{"type":"boolean","description":"Case insensitive search"},
          "-n":{"type":"boolean","description":"Show line numbers in output (content mode)"},
          "-A":{"type":"number","description":"Number of lines to show after each match (content mode)"},
          "-B":{"type":"number","description":"Number of lines to show before each match (content mode)"},
          "-C":{"type":"number","description":"Number of lines to show before and after each match (content mode)"},
          "multiline":{"type":"boolean","description":"Enable multiline mode where . matches newlines and patterns can span lines"},
          "head_limit":{"type":"number","description":"Limit output to the first N lines or entries"}},
         "required":["pattern"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var pattern = ToolInput.RequiredString(input, "pattern");
        var mode = ToolInput.OptionalString(input, "output_mode") ?? "files_with_matches";
        if (mode is not ("content" or "files_with_matches" or "count"))
            return ToolOutcome.Error("InputValidationError: output_mode must be content, files_with_matches or count.");
        var multiline = ToolInput.OptionalBool(input, "multiline");
        var options = RegexOptions.CultureInvariant | (ToolInput.OptionalBool(input, "-i") ? RegexOptions.IgnoreCase : 0)
            | (multiline ? RegexOptions.Singleline | RegexOptions.Multiline : 0);
        Regex regex;
        try
        {
            regex = new Regex(pattern, options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            return ToolOutcome.Error($"The pattern is not a valid regular expression: {ex.Message}");
        }
        var filters = new List<GlobPattern>();
        if (ToolInput.OptionalString(input, "glob") is { Length: > 0 } glob)
            filters.Add(new GlobPattern(glob, anywhere: true));
        if (ToolInput.OptionalString(input, "type") is { Length: > 0 } type)
            filters.Add(new GlobPattern(Types.TryGetValue(type, out var typeGlob) ? typeGlob : "*." + type, anywhere: true));
        var context_ = (int)(ToolInput.OptionalInteger(input, "-C") ?? 0);
        var before = (int)(ToolInput.OptionalInteger(input, "-B") ?? context_);
        var after = (int)(ToolInput.OptionalInteger(input, "-A") ?? context_);
        var numbers = ToolInput.OptionalBool(input, "-n");
        var headLimit = (int)Math.Clamp(ToolInput.OptionalInteger(input, "head_limit") ?? context.Limits.MaxSearchResults, 1, context.Limits.MaxSearchResults);

        var root = context.Files.Resolve(ToolInput.OptionalString(input, "path") ?? context.Files.WorkingDirectory, write: false);
        IEnumerable<(string Path, string Relative, DateTime Modified)> files = File.Exists(root)
            ? [(root, Path.GetFileName(root), File.GetLastWriteTimeUtc(root))]
            : Directory.Exists(root) ? FileWalker.Files(root, cancellationToken) : throw new ToolInputException($"Path does not exist: {root}");

        var matched = new List<(string Path, DateTime Modified, int Count)>();
        var lines = new List<string>();
        try
        {
            foreach (var file in files)
            {
                if (filters.Any(f => !f.IsMatch(file.Relative)) || new FileInfo(file.Path).Length > MaxFileBytes)
                    continue;
                var text = await ReadTextAsync(file.Path, cancellationToken);
                if (text is null)
                    continue;
                var found = regex.Matches(text);
                if (found.Count == 0)
                    continue;
                matched.Add((file.Path, file.Modified, found.Count));
                if (mode == "content" && lines.Count < headLimit)
                    AddLines(lines, file.Path, text, found, before, after, numbers);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return ToolOutcome.Error("The pattern took too long to match; make it more specific.");
        }
        if (matched.Count == 0)
            return new ToolOutcome(mode == "files_with_matches" ? "No files found" : "No matches found");
        return mode switch
        {
            "content" => new ToolOutcome(string.Join('\n', lines.Take(headLimit))),
            "count" => new ToolOutcome(string.Join('\n', matched.Take(headLimit).Select(m => $"{m.Path}:{m.Count}"))
                + $"\n\nFound {matched.Sum(m => m.Count)} total occurrences across {matched.Count} files."),
            _ => new ToolOutcome($"Found {matched.Count} file{(matched.Count == 1 ? "" : "s")}\n"
                + string.Join('\n', matched.OrderByDescending(m => m.Modified).Take(headLimit).Select(m => m.Path))),
        };
    }

    private static void AddLines(List<string> output, string path, string text, MatchCollection found, int before, int after, bool numbers)
    {
        var all = text.Split('\n');
        var starts = new int[all.Length];
        for (int i = 1, at = all[0].Length + 1; i < all.Length; at += all[i].Length + 1, i++)
            starts[i] = at;
        var wanted = new SortedSet<int>();
        var hits = new HashSet<int>();
        foreach (Match match in found)
        {
            var line = Array.BinarySearch(starts, match.Index);
            line = line >= 0 ? line : ~line - 1;
            hits.Add(line);
            for (var i = Math.Max(0, line - before); i <= Math.Min(all.Length - 1, line + after); i++)
                wanted.Add(i);
        }
        var last = -2;
        foreach (var i in wanted)
        {
            if (last >= 0 && i > last + 1)
                output.Add("--");
            var separator = hits.Contains(i) ? ':' : '-';
            output.Add(numbers
                ? $"{path}{separator}{(i + 1).ToString(CultureInfo.InvariantCulture)}{separator}{all[i].TrimEnd('\r')}"
                : $"{path}{separator}{all[i].TrimEnd('\r')}");
            last = i;
        }
    }

    /// <summary>The file's text, or null for a binary file (a NUL in its first 8 KB, as ripgrep decides).</summary>
    private static async Task<string?> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            return bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0) ? null : Encoding.UTF8.GetString(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
