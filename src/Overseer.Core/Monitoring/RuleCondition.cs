using System.Globalization;
using System.Text.RegularExpressions;

namespace Overseer.Core.Monitoring;

/// <summary>
/// A rule's condition: <c>&lt;subject&gt; &lt;op&gt; &lt;number&gt;[%|ms] [for &lt;duration&gt;]</c>
/// (<c>cpu &gt; 80% for 2m</c>; the subject is any word, it names the check's value), or
/// <c>down [for &lt;duration&gt;]</c> (the check fails).
/// </summary>
public sealed partial record RuleCondition(string Subject, string? Op, double Threshold, string Suffix, TimeSpan For)
{
    public bool IsDown => Op is null;

    public static (RuleCondition? Condition, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, "is required: \"value > 80 for 2m\" or \"down for 30s\".");
        var match = WhenPattern().Match(text.Trim());
        if (!match.Success)
            return (null, $"'{text}' is not a condition: write \"<value> <op> <number> [for <duration>]\" (e.g. \"cpu > 80% for 2m\") or \"down [for <duration>]\".");
        var duration = TimeSpan.Zero;
        if (match.Groups["for"].Success && !Durations.TryParse(match.Groups["for"].Value, out duration))
            return (null, $"'{match.Groups["for"].Value}' is not a duration (30s, 2m, 1h).");
        if (match.Groups["down"].Success)
            return (new RuleCondition("down", null, 0, "", duration), null);
        var (op, threshold, suffix, problem) = ParseComparison(match.Groups["op"].Value, match.Groups["num"].Value, match.Groups["suffix"].Value);
        return problem is null ? (new RuleCondition(match.Groups["subject"].Value, op, threshold, suffix, duration), null) : (null, problem);
    }

    /// <summary>A clear condition (hysteresis): <c>&lt; 70</c> or <c>&lt;= 70%</c>.</summary>
    public static (string? Op, double Threshold, string? Problem) ParseClear(string text)
    {
        var match = ClearPattern().Match(text.Trim());
        if (!match.Success)
            return (null, 0, $"'{text}' is not a clear condition: write \"<op> <number>\" such as \"< 70\".");
        var (op, threshold, _, problem) = ParseComparison(match.Groups["op"].Value, match.Groups["num"].Value, match.Groups["suffix"].Value);
        return (op, threshold, problem);
    }

    public bool Holds(double value) => Compare(Op!, value, Threshold);

    public static bool Compare(string op, double value, double threshold) => op switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        "<=" => value <= threshold,
        "==" => value == threshold,
        _ => value != threshold,
    };

    public override string ToString() =>
        (IsDown ? "down" : $"{Subject} {Op} {Threshold.ToString(CultureInfo.InvariantCulture)}{Suffix}") + (For > TimeSpan.Zero ? $" for {Durations.Format(For)}" : "");

    private static (string Op, double Threshold, string Suffix, string? Problem) ParseComparison(string op, string number, string suffix)
    {
        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
            return (op, 0, suffix, $"'{number}' is not a number.");
        return (op, threshold, suffix, null);
    }

    [GeneratedRegex(@"^(?:(?<down>down)|(?<subject>[A-Za-z_][A-Za-z0-9_.]*)\s*(?<op>>=|<=|==|!=|>|<)\s*(?<num>-?[0-9]+(?:\.[0-9]+)?)\s*(?<suffix>%|ms)?)(?:\s+for\s+(?<for>\S+))?$")]
    private static partial Regex WhenPattern();

    [GeneratedRegex(@"^(?<op>>=|<=|==|!=|>|<)\s*(?<num>-?[0-9]+(?:\.[0-9]+)?)\s*(?<suffix>%|ms)?$")]
    private static partial Regex ClearPattern();
}
