using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;

namespace Overseer.Core.Tests.Monitoring;

/// <summary>How a rule turns a check's results into raises and resolves: duration, hysteresis, flapping.</summary>
public sealed class RuleStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static RuleState Rule(string when, string? clear = null, string? clearFor = null)
    {
        var (rule, problem) = RuleValidation.Normalize(new AlertRuleDefinition { Name = "r", Check = "c", When = when, Clear = clear, ClearFor = clearFor }, _ => true, "test");
        problem.ShouldBeNull();
        return new RuleState(rule!);
    }

    private static CheckResult Value(double v) => new(true, v, "%", $"{v}%");

    private static List<RuleTransition> Feed(RuleState state, TimeSpan every, params CheckResult[] results)
    {
        var transitions = new List<RuleTransition>();
        for (var i = 0; i < results.Length; i++)
        {
            var t = state.Observe(T0 + (every * i), results[i]);
            transitions.Add(t);
            if (t == RuleTransition.Raise)
                state.FiringAlertId = "al_" + i;
            else if (t == RuleTransition.Resolve)
                state.FiringAlertId = null;
        }
        return transitions;
    }

    [Fact]
    public void Observe_CpuAbove80For2m_RaisesOnlyOnceTheConditionHeldTwoMinutes()
    {
        var state = Rule("cpu > 80% for 2m");
        var every = TimeSpan.FromSeconds(12);
        var results = Enumerable.Repeat(Value(90), 11).ToArray();

        var transitions = Feed(state, every, results);

        // 0 s … 108 s: not yet two minutes; the 11th result is at 120 s.
        transitions.Take(10).ShouldAllBe(t => t == RuleTransition.None);
        transitions[10].ShouldBe(RuleTransition.Raise);
    }

    [Fact]
    public void Observe_ABreachInterruptedBeforeItsDuration_StartsCountingAgain()
    {
        var state = Rule("cpu > 80% for 1m");
        var transitions = Feed(state, TimeSpan.FromSeconds(20), Value(90), Value(90), Value(50), Value(90), Value(90), Value(90), Value(90));

        transitions.IndexOf(RuleTransition.Raise).ShouldBe(6);
    }

    [Fact]
    public void Observe_WithHysteresis_ValuesBetweenClearAndRaiseKeepTheAlert()
    {
        var state = Rule("value > 80", clear: "< 70");
        var transitions = Feed(state, TimeSpan.FromSeconds(10), Value(85), Value(75), Value(79), Value(75), Value(72), Value(65), Value(60));

        transitions[0].ShouldBe(RuleTransition.Raise);
        // 75, 79, 75, 72 are below the threshold but not below the clear: still firing.
        transitions.Skip(1).Take(4).ShouldAllBe(t => t == RuleTransition.None);
        // Two results in a row below 70 resolve it.
        transitions[5].ShouldBe(RuleTransition.None);
        transitions[6].ShouldBe(RuleTransition.Resolve);
    }

    [Fact]
    public void Observe_DownRuleOverAFlappingTarget_RaisesOnceAndNeverResolvesWhileItFlaps()
    {
        var state = Rule("down");
        var up = new CheckResult(true, 5, "ms", "HTTP 200");
        var down = CheckResult.Fail("HTTP 500");
        var flapping = Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? down : up).ToArray();

        var transitions = Feed(state, TimeSpan.FromSeconds(1), flapping);

        transitions.Count(t => t == RuleTransition.Raise).ShouldBe(1);
        transitions.ShouldNotContain(RuleTransition.Resolve);
        state.Flapping.ShouldBeTrue();

        // Once it settles, the alert resolves when the window no longer shows flapping.
        var settled = Feed(state, TimeSpan.FromSeconds(1), Enumerable.Repeat(up, RuleState.FlapWindow + 2).ToArray());
        settled.Count(t => t == RuleTransition.Resolve).ShouldBe(1);
        state.Flapping.ShouldBeFalse();
    }

    [Fact]
    public void Observe_ValueRuleOnAResultWithoutValue_ChangesNothing()
    {
        var state = Rule("latency > 500ms");
        Feed(state, TimeSpan.FromSeconds(1), CheckResult.Fail("connection refused"), CheckResult.Fail("connection refused"))
            .ShouldAllBe(t => t == RuleTransition.None);
    }

    [Theory]
    [InlineData("cpu >> 80", "when")]
    [InlineData("cpu > 80 for 2 minutes", "when")]
    [InlineData("down for 5x", "when")]
    public void Normalize_BadCondition_NamesTheField(string when, string field)
    {
        var (_, problem) = RuleValidation.Normalize(new AlertRuleDefinition { Name = "r", Check = "c", When = when }, _ => true, "test");
        problem.ShouldNotBeNull().Field.ShouldBe(field);
    }

    [Fact]
    public void Normalize_UnknownCheck_IsRefusedWithItsCode()
    {
        var (_, problem) = RuleValidation.Normalize(new AlertRuleDefinition { Name = "r", Check = "nope", When = "down" }, _ => false, "test");
        problem.ShouldNotBeNull().Code.ShouldBe("CHECK_NOT_FOUND");
    }
}
