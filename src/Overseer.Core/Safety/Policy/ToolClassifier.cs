using System.Text.Json;

namespace Overseer.Core.Safety.Policy;

/// <summary>Claude Code's non-Bash tools: reads GREEN inside the project, edits YELLOW, web ORANGE unless allow-listed, unknown and MCP tools ORANGE.</summary>
internal sealed class ToolClassifier(PathJudge judge, IReadOnlyList<string> urlAllowList)
{
    private static readonly HashSet<string> ReadTools = ["Read", "Glob", "Grep", "LS", "NotebookRead"];
    private static readonly HashSet<string> EditTools = ["Edit", "Write", "MultiEdit", "NotebookEdit"];
    private static readonly HashSet<string> SessionTools = ["TodoWrite", "TodoRead", "Task", "AskUserQuestion", "ExitPlanMode", "BashOutput", "KillShell"];

    /// <summary>The path the tool touches (null when it has none), and whether a path is required.</summary>
    public static string? PathOf(string tool, JsonElement input)
    {
        var path = Text(input, "file_path") ?? Text(input, "notebook_path") ?? Text(input, "path");
        if (tool == "Glob" && Text(input, "pattern") is { } pattern && (pattern.StartsWith('/') || pattern.StartsWith('~') || pattern.Contains("..", StringComparison.Ordinal)))
            path = Path.Combine(path ?? ".", pattern);
        return path;
    }

    public static string? Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public PolicyDecision Classify(string tool, JsonElement input)
    {
        if (SessionTools.Contains(tool))
            return new PolicyDecision(Tier.Green, $"{tool} only affects the agent's own session", "builtin.session");
        if (ReadTools.Contains(tool))
            return Read(tool, input);
        if (EditTools.Contains(tool))
            return Edit(tool, input);
        if (tool is "WebFetch" or "WebSearch")
            return Web(tool, input);
        if (tool.StartsWith("mcp__", StringComparison.Ordinal))
            return new PolicyDecision(Tier.Orange, $"{tool} is an MCP tool; what it does is not known", "builtin.mcp");
        return new PolicyDecision(Tier.Orange, $"{tool} is not a tool the policy knows", "builtin.unknown-tool");
    }

    private PolicyDecision Read(string tool, JsonElement input)
    {
        var raw = PathOf(tool, input);
        if (raw is null)
        {
            return tool is "Glob" or "Grep" or "LS"
                ? new PolicyDecision(Tier.Green, $"{tool} searches the project", "builtin.read")
                : new PolicyDecision(Tier.Orange, $"{tool} names no path", "builtin.read-outside");
        }
        var resolved = judge.Resolve(Expand(raw));
        return judge.Zone(resolved) switch
        {
            PathZone.Project => new PolicyDecision(Tier.Green, $"{tool} reads inside the project", "builtin.read"),
            PathZone.DataDirectory => judge.DataDirectory(tool, resolved!),
            _ => new PolicyDecision(Tier.Orange, $"{tool} reads outside the project ({resolved ?? raw})", "builtin.read-outside"),
        };
    }

    private PolicyDecision Edit(string tool, JsonElement input)
    {
        var raw = PathOf(tool, input);
        if (raw is null)
            return new PolicyDecision(Tier.Red, $"{tool} names no path", "builtin.edit-outside");
        if (PathJudge.IsBlockDevice(raw))
            return new PolicyDecision(Tier.Black, $"{tool} writes to the block device {raw}", "builtin.device-write");
        var resolved = judge.Resolve(Expand(raw));
        var zone = judge.Zone(resolved);
        if (zone == PathZone.Project && judge.Protected(resolved!, tool) is { } protectedFile)
            return protectedFile;
        if (zone == PathZone.Project && PathJudge.HasOtherNames(resolved!))
            return new PolicyDecision(Tier.Red, $"{tool} writes a file hard-linked to another name that may lie outside the project", "builtin.edit-hardlink");
        return zone switch
        {
            PathZone.Project => new PolicyDecision(Tier.Yellow, $"{tool} changes a file inside the project", "builtin.edit"),
            PathZone.DataDirectory => judge.DataDirectory(tool, resolved!),
            PathZone.BlockDevice => new PolicyDecision(Tier.Black, $"{tool} writes to the block device {resolved}", "builtin.device-write"),
            _ => new PolicyDecision(Tier.Red, $"{tool} writes outside the project ({resolved ?? raw})", "builtin.edit-outside"),
        };
    }

    private PolicyDecision Web(string tool, JsonElement input)
    {
        if (tool == "WebFetch" && Text(input, "url") is { } url && RuleSet.UrlMatches(urlAllowList, url))
            return new PolicyDecision(Tier.Yellow, $"{tool} fetches from an allow-listed host", "builtin.web-allowed");
        if (tool == "WebSearch" && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("allowed_domains", out var domains)
            && domains.ValueKind == JsonValueKind.Array && domains.GetArrayLength() > 0
            && domains.EnumerateArray().All(d => d.ValueKind == JsonValueKind.String && urlAllowList.Any(h => Glob.HostMatches(h, d.GetString()!))))
            return new PolicyDecision(Tier.Yellow, $"{tool} searches only allow-listed hosts", "builtin.web-allowed");
        return new PolicyDecision(Tier.Orange, $"{tool} reaches the network", "builtin.web");
    }

    private string Expand(string raw) => raw == "~" || raw.StartsWith("~/", StringComparison.Ordinal) ? judge.Context.Home + raw[1..] : raw;
}
