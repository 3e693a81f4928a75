using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>Claude Code's <c>Glob</c>: files matching a pattern, newest first.</summary>
internal sealed class GlobTool : IAgentTool
{
    private const int MaxResults = 100;

    public ToolDefinition Definition { get; } = new("Glob",
        "Fast file pattern matching, e.g. \"**/*.js\" or \"src/**/*.ts\". Returns matching file paths sorted by modification time, newest first. " +
        "path is the directory to search in (the working directory when omitted).",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "pattern":{"type":"string","description":"The glob pattern to match files against"},
          "path":{"type":"string","description":"The directory to search in. Defaults to the working directory."}},
         "required":["pattern"],"additionalProperties":false}
        """));

    public Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var pattern = ToolInput.RequiredString(input, "pattern");
        var root = context.Files.Resolve(ToolInput.OptionalString(input, "path") ?? context.Files.WorkingDirectory, write: false);
        if (Path.IsPathRooted(pattern))
        {
            // An absolute pattern: its fixed directories are the search's root.
            var wildcard = pattern.IndexOfAny(['*', '?', '[', '{']);
            var fixedPart = wildcard < 0 ? pattern : pattern[..wildcard];
            var directory = fixedPart.EndsWith('/') ? fixedPart : Path.GetDirectoryName(fixedPart) ?? "/";
            root = context.Files.Resolve(directory, write: false);
            pattern = pattern[directory.TrimEnd('/').Length..].TrimStart('/');
        }
        if (!Directory.Exists(root))
            return Task.FromResult(ToolOutcome.Error($"Directory does not exist: {root}"));
        var glob = new GlobPattern(pattern, anywhere: false);
        var matches = FileWalker.Files(root, cancellationToken)
            .Where(f => glob.IsMatch(f.Relative))
            .OrderByDescending(f => f.Modified)
            .Take(MaxResults + 1)
            .Select(f => f.Path)
            .ToList();
        if (matches.Count == 0)
            return Task.FromResult(new ToolOutcome("No files found"));
        var text = string.Join('\n', matches.Take(MaxResults));
        if (matches.Count > MaxResults)
            text += "\n(Results are truncated. Consider using a more specific path or pattern.)";
        return Task.FromResult(new ToolOutcome(text));
    }
}
