namespace Overseer.Core.Safety.Policy;

/// <summary>
/// The verdict on one tool call. <see cref="Rule"/> is a stable id of what decided: a built-in such as
/// <c>bash.rm-recursive</c> or <c>builtin.read</c>, or a file rule such as <c>policy:/etc/overseer/policy.yaml#rules[3]</c>.
/// </summary>
public sealed record PolicyDecision(Tier Tier, string Reason, string Rule)
{
    /// <summary>ORANGE for an option or argument that makes a known tool run a program named on the command line (env -S, tar --checkpoint-action...).</summary>
    internal static PolicyDecision RunsProgram(string subject, string why) => new(Tier.Orange, $"{subject}: {why}", "bash.exec-option");

    /// <summary>The worse of two decisions; on a tie the first stays, so the reason names the earliest sub-command that decided.</summary>
    public static PolicyDecision Worst(PolicyDecision? first, PolicyDecision second) =>
        first is null || second.Tier > first.Tier ? second : first;
}
