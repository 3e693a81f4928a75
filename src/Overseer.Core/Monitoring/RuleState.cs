using System.Numerics;

namespace Overseer.Core.Monitoring;

public enum RuleTransition
{
    None,
    Raise,
    Resolve,
}

/// <summary>
/// One rule's evaluation over its check's results. An alert is raised once the condition has held
/// for the rule's duration; it resolves once the clear condition (hysteresis) has held for the
/// clear duration over at least two results in a row, so one good result amid failures never
/// resolves it. A condition that changes <see cref="FlapTransitions"/> times within the last
/// <see cref="FlapWindow"/> results is flapping: the alert stays raised (no raise/resolve storm)
/// until the target settles.
/// </summary>
public sealed class RuleState(RuleSpec rule)
{
    public const int FlapWindow = 10;
    public const int FlapTransitions = 4;

    private DateTimeOffset? _breachSince;
    private DateTimeOffset? _clearSince;
    private int _clearRun;
    private uint _history;
    private int _seen;

    public RuleSpec Rule { get; set; } = rule;

    /// <summary>The alert this rule has raised and not resolved, if any.</summary>
    public string? FiringAlertId { get; set; }

    public bool Flapping { get; private set; }

    public RuleTransition Observe(DateTimeOffset at, CheckResult result)
    {
        var breached = Rule.Breached(result);
        if (breached is null)
            return RuleTransition.None;
        _history = (_history << 1) | (breached.Value ? 1u : 0u);
        _seen = Math.Min(_seen + 1, 32);
        // Changes between neighbouring results within the window.
        var pairs = Math.Min(_seen, FlapWindow) - 1;
        var mask = pairs <= 0 ? 0u : (1u << pairs) - 1;
        Flapping = BitOperations.PopCount((_history ^ (_history >> 1)) & mask) >= FlapTransitions;

        if (FiringAlertId is null)
        {
            _clearSince = null;
            _clearRun = 0;
            if (!breached.Value)
            {
                _breachSince = null;
                return RuleTransition.None;
            }
            _breachSince ??= at;
            if (at - _breachSince < Rule.When.For)
                return RuleTransition.None;
            _breachSince = null;
            return RuleTransition.Raise;
        }

        _breachSince = null;
        if (Rule.Cleared(result) != true || Flapping)
        {
            _clearSince = null;
            _clearRun = 0;
            return RuleTransition.None;
        }
        _clearSince ??= at;
        _clearRun++;
        if (_clearRun < 2 || at - _clearSince < Rule.ClearFor)
            return RuleTransition.None;
        _clearSince = null;
        _clearRun = 0;
        return RuleTransition.Resolve;
    }
}
