namespace Overseer.Core.Safety.Policy;

/// <summary>The file rules that apply to one project, project-scoped first, each matched against a tool call or a Bash sub-command.</summary>
internal sealed class RuleSet
{
    private readonly IReadOnlyList<PolicyRule> _rules;
    private readonly PathJudge _judge;

    public RuleSet(SafetyPolicy policy, PathJudge judge)
    {
        _judge = judge;
        _rules = Ordered(policy, judge.Context.Project);
    }

    public static IReadOnlyList<PolicyRule> Ordered(SafetyPolicy policy, string resolvedProject) =>
    [
        .. policy.Rules.Where(r => r.Project is not null && AppliesTo(r.Project, resolvedProject)),
        .. policy.Rules.Where(r => r.Project is null),
    ];

    private static bool AppliesTo(string ruleProject, string resolvedProject)
    {
        try
        {
            return Workspaces.PathResolver.IsWithin(resolvedProject, Workspaces.PathResolver.Resolve(ruleProject));
        }
        catch (IOException)
        {
            return false;
        }
    }

    public PolicyRule? MatchCommand(IReadOnlyList<string> argv) =>
        _rules.FirstOrDefault(r => Glob.IsMatch(r.Tool, "Bash", ignoreCase: true) && CommandMatches(r, argv));

    public PolicyRule? MatchTool(string tool, string? path, string? url) =>
        _rules.FirstOrDefault(r => r.Command is null && r.Flags is null && Glob.IsMatch(r.Tool, tool, ignoreCase: true, slashIsSpecial: false)
            && (r.Paths is null || (path is not null && PathMatches(r.Paths, path)))
            && (r.Urls is null || (url is not null && UrlMatches(r.Urls, url))));

    private bool CommandMatches(PolicyRule rule, IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
            return false;
        var words = argv.Skip(1).Where(a => !a.StartsWith('-')).ToList();
        if (rule.Command is { Count: > 0 } command)
        {
            if (!Glob.IsMatch(command[0], Path.GetFileName(argv[0])) || words.Count < command.Count - 1)
                return false;
            for (var i = 1; i < command.Count; i++)
            {
                if (!Glob.IsMatch(command[i], words[i - 1], slashIsSpecial: false))
                    return false;
            }
        }
        if (rule.Flags is not null && !rule.Flags.All(f => CommandLine.HasFlag(argv, f)))
            return false;
        if (rule.Paths is not null && !words.Any(w => PathMatches(rule.Paths, w)))
            return false;
        return rule.Urls is null || words.Any(w => UrlMatches(rule.Urls, w));
    }

    private bool PathMatches(IReadOnlyList<string> globs, string raw)
    {
        var resolved = _judge.Resolve(raw);
        if (resolved is null)
            return false;
        return globs.Any(g =>
        {
            var pattern = g.StartsWith('~') ? _judge.Context.Home + g[1..] : g;
            if (!pattern.StartsWith('/'))
                pattern = Path.Combine(_judge.Context.Project, pattern);
            return Glob.IsMatch(pattern, resolved);
        });
    }

    public static bool UrlMatches(IReadOnlyList<string> hosts, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && hosts.Any(h => Glob.HostMatches(h, uri.Host));
}
