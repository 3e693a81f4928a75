namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Reads a policy file (YAML for .yaml/.yml, JSON for .json) and validates every field, failing with the file,
/// line and field named. The format is documented in docs/policy.md.
/// </summary>
public static class PolicyLoader
{
    private static readonly string[] TopKeys = ["version", "urlAllowList", "rules"];
    private static readonly string[] RuleKeys = ["tool", "command", "flags", "paths", "urls", "tier", "reason", "project"];

    /// <summary>The shipped defaults: no file rules and an empty URL allow-list; the built-ins do the rest.</summary>
    public static SafetyPolicy Default { get; } = SafetyPolicy.Empty;

    public static SafetyPolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException(full, 0, "", $"cannot be read: {e.Message}", e);
        }
        var extension = Path.GetExtension(full).ToLowerInvariant();
        var root = extension switch
        {
            ".json" => PolicyNode.FromJson(text, full),
            ".yaml" or ".yml" => PolicyNode.FromYaml(text, full),
            _ => throw new PolicyFileException(full, 0, "", "must end in .yaml, .yml or .json"),
        };
        return Read(root, full);
    }

    private static SafetyPolicy Read(PolicyNode root, string file)
    {
        if (root.Map is null)
            throw new PolicyFileException(file, root.Line, "", $"must be a mapping with {string.Join(", ", TopKeys)}, not {root.Kind}");
        CheckKeys(root, TopKeys, "", file);
        var urls = new List<string>();
        var rules = new List<PolicyRule>();
        foreach (var (key, value) in root.Map)
        {
            switch (key)
            {
                case "version" when value.Scalar != "1":
                    throw new PolicyFileException(file, value.Line, "version", $"'{value.Scalar}' is not a supported version (use 1)");
                case "urlAllowList":
                    urls.AddRange(Strings(value, "urlAllowList", file));
                    break;
                case "rules":
                    if (value.Sequence is null)
                        throw new PolicyFileException(file, value.Line, "rules", $"must be a list, not {value.Kind}");
                    for (var i = 0; i < value.Sequence.Count; i++)
                        rules.Add(ReadRule(value.Sequence[i], $"rules[{i}]", file));
                    break;
            }
        }
        return new SafetyPolicy(rules, urls, file);
    }

    private static PolicyRule ReadRule(PolicyNode node, string field, string file)
    {
        if (node.Map is null)
            throw new PolicyFileException(file, node.Line, field, $"must be a mapping, not {node.Kind}");
        CheckKeys(node, RuleKeys, field + ".", file);
        var values = node.Map.ToDictionary(c => c.Key, c => c.Value);
        var tool = Scalar(values, "tool", field, file) ?? throw new PolicyFileException(file, node.Line, field + ".tool", "is required (a tool name or glob such as Bash or mcp__*)");
        var tierText = Scalar(values, "tier", field, file) ?? throw new PolicyFileException(file, node.Line, field + ".tier", $"is required (one of {TierExtensions.WireNames})");
        if (!TierExtensions.TryParse(tierText, out var tier))
            throw new PolicyFileException(file, values["tier"].Line, field + ".tier", $"'{tierText}' is not one of {TierExtensions.WireNames}");
        var project = Scalar(values, "project", field, file);
        if (project is not null && !Path.IsPathFullyQualified(project))
            throw new PolicyFileException(file, values["project"].Line, field + ".project", $"'{project}' must be an absolute path");
        var command = List(values, "command", field, file);
        if ((command is not null || values.ContainsKey("flags")) && !Glob.IsMatch(tool, "Bash", ignoreCase: true))
            throw new PolicyFileException(file, values[command is not null ? "command" : "flags"].Line, field + (command is not null ? ".command" : ".flags"), $"applies only to Bash rules, not to '{tool}'");
        if (command is { Count: 0 })
            throw new PolicyFileException(file, values["command"].Line, field + ".command", "must name at least the program");
        return new PolicyRule($"policy:{file}#{field}", tool, tier, Scalar(values, "reason", field, file) ?? $"set to {tier.ToWire()} by the policy file")
        {
            Command = command,
            Flags = List(values, "flags", field, file),
            Paths = List(values, "paths", field, file),
            Urls = List(values, "urls", field, file),
            Project = project,
        };
    }

    private static void CheckKeys(PolicyNode node, string[] allowed, string prefix, string file)
    {
        foreach (var (key, value) in node.Map!)
        {
            if (!allowed.Contains(key))
                throw new PolicyFileException(file, value.Line, prefix + key, $"unknown key (expected one of {string.Join(", ", allowed)})");
        }
    }

    private static string? Scalar(Dictionary<string, PolicyNode> values, string key, string field, string file)
    {
        if (!values.TryGetValue(key, out var node))
            return null;
        if (node.Scalar is null || node.Scalar.Trim().Length == 0)
            throw new PolicyFileException(file, node.Line, $"{field}.{key}", $"must be a non-empty value, not {node.Kind}");
        return node.Scalar;
    }

    private static List<string>? List(Dictionary<string, PolicyNode> values, string key, string field, string file) =>
        values.TryGetValue(key, out var node) ? Strings(node, $"{field}.{key}", file) : null;

    /// <summary>A list of strings; a single value is accepted as a one-item list (a command is split on spaces).</summary>
    private static List<string> Strings(PolicyNode node, string field, string file)
    {
        if (node.Scalar is not null)
            return [.. node.Scalar.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        if (node.Sequence is null)
            throw new PolicyFileException(file, node.Line, field, $"must be a list, not {node.Kind}");
        return
        [
            .. node.Sequence.Select((item, i) => item.Scalar ?? throw new PolicyFileException(file, item.Line, $"{field}[{i}]", $"must be a value, not {item.Kind}")),
        ];
    }
}
