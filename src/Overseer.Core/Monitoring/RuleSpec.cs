using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring;

/// <summary>A validated rule, ready to evaluate: its condition, its clear condition and durations, and its runbook.</summary>
public sealed record RuleSpec(AlertRuleDefinition Definition, RuleCondition When, string? ClearOp, double ClearThreshold, TimeSpan ClearFor, string Source)
{
    public string Id => Definition.Id!;
    public string Name => Definition.Name ?? Definition.Id!;
    public string CheckId => Definition.Check!;
    public string Severity => Definition.Severity ?? "warning";

    /// <summary>The condition holds for this result; null when the result cannot say (a value rule over a result without a value).</summary>
    public bool? Breached(CheckResult result) =>
        When.IsDown ? !result.Ok : result.Value is { } v ? When.Holds(v) : null;

    /// <summary>The alert may resolve on this result: past the clear threshold (hysteresis), or the check passes again.</summary>
    public bool? Cleared(CheckResult result)
    {
        if (When.IsDown)
            return result.Ok;
        if (result.Value is not { } v)
            return null;
        return ClearOp is null ? !When.Holds(v) : RuleCondition.Compare(ClearOp, v, ClearThreshold);
    }
}
