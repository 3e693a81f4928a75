using System.Text.Json;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Classifies a tool call into a <see cref="Tier"/>. Pure: it reads the file system only to resolve paths
/// (symlinks) and runs nothing. File rules are checked before the built-ins; a BLACK built-in is never lowered.
/// </summary>
public sealed class PolicyEngine(SafetyPolicy policy)
{
    public SafetyPolicy Policy { get; } = policy;

    public PolicyDecision Evaluate(string tool, JsonElement input, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(context);
        // Text that is not Unicode (a lone surrogate escape, invalid UTF-8) cannot be read, so it cannot be
        // judged: a person looks at it. Reading it further would throw; so would GetRawText on invalid UTF-8.
        if (Contracts.Text.JsonTextCheck.Find(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(input)) is { } invalid)
            return new PolicyDecision(Tier.Orange, $"The {tool} input holds text that is not valid Unicode ({invalid.Field ?? "input"}): it cannot be judged", "input.invalid-text");
        var judge = new PathJudge(ResolvedContext.From(context));
        var rules = new RuleSet(Policy, judge);
        if (tool == "Bash")
        {
            var command = ToolClassifier.Text(input, "command");
            return command is null
                ? new PolicyDecision(Tier.Orange, "Bash was called without a command", "bash.unparseable")
                : new BashCommandClassifier(judge, rules).Classify(command);
        }
        var builtIn = new ToolClassifier(judge, Policy.UrlAllowList).Classify(tool, input);
        var rule = rules.MatchTool(tool, ToolClassifier.PathOf(tool, input), ToolClassifier.Text(input, "url"));
        return rule is null ? builtIn : BashCommandClassifier.ApplyRule(rule, builtIn, tool);
    }

    /// <summary>What applies to a project, in the order it is checked: its file rules (project-scoped first), then the built-ins.</summary>
    public IReadOnlyList<PolicyRule> EffectiveRules(string projectPath) =>
        [.. RuleSet.Ordered(Policy, PathResolver.Resolve(projectPath)), .. BuiltinRules.All];
}
