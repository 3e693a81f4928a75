using System.Globalization;

namespace Overseer.Core.Monitoring;

/// <summary>Durations as people write them in rules: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        var (unit, digits) = s.EndsWith("ms", StringComparison.Ordinal) ? ("ms", s[..^2]) : (s[^1..], s[..^1]);
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0 || n > 1e6)
            return false;
        TimeSpan? parsed = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
        if (parsed is not { } p)
            return false;
        value = p;
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalDays >= 1 && value.TotalDays % 1 == 0 ? $"{value.TotalDays:0}d"
        : value.TotalHours >= 1 && value.TotalHours % 1 == 0 ? $"{value.TotalHours:0}h"
        : value.TotalMinutes >= 1 && value.TotalMinutes % 1 == 0 ? $"{value.TotalMinutes:0}m"
        : value.TotalSeconds >= 1 ? $"{value.TotalSeconds:0.#}s"
        : $"{value.TotalMilliseconds:0}ms";
}
