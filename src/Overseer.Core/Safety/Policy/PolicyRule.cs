namespace Overseer.Core.Safety.Policy;

/// <summary>
/// One rule: which tool calls it matches and the tier it gives them. All given conditions must hold.
/// <list type="bullet">
/// <item><see cref="Tool"/>: a tool name or glob (<c>Bash</c>, <c>mcp__*</c>).</item>
/// <item><see cref="Command"/>: for Bash, the program and the words after it (options skipped) as a prefix, e.g. <c>["git","push"]</c>.</item>
/// <item><see cref="Flags"/>: options that must all be present (<c>-f</c> also matches inside <c>-fu</c>).</item>
/// <item><see cref="Paths"/>: globs (<c>*</c>, <c>**</c>, <c>?</c>, <c>~</c>) any resolved path argument must match.</item>
/// <item><see cref="Urls"/>: hosts (<c>github.com</c>, <c>*.github.com</c>) a URL argument must be on.</item>
/// <item><see cref="Project"/>: when set, the rule applies only to that project (and directories under it).</item>
/// </list>
/// </summary>
public sealed record PolicyRule(string Id, string Tool, Tier Tier, string Reason)
{
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Flags { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public string? Project { get; init; }

    /// <summary>True for the shipped built-in behaviour described as a rule (listed by <see cref="PolicyEngine.EffectiveRules"/>).</summary>
    public bool BuiltIn { get; init; }
}
