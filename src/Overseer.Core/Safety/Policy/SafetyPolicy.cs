namespace Overseer.Core.Safety.Policy;

/// <summary>
/// The operator's policy: file rules (checked before the built-ins, project-scoped ones first) and the hosts
/// WebFetch may reach at YELLOW instead of ORANGE. <see cref="Source"/> names the file it came from, if any.
/// </summary>
public sealed record SafetyPolicy(IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> UrlAllowList, string? Source = null)
{
    public static SafetyPolicy Empty { get; } = new([], []);
}
