using Cronos;

namespace Overseer.Core.Schedules;

/// <summary>
/// A cron expression in a time zone, with Cronos's handling of daylight saving time: a time that
/// does not exist on the day the clocks go forward fires at the moment of the change; a time that
/// happens twice when they go back fires once (interval expressions, such as <c>*/15</c>, fire in
/// both hours). Every time it answers is in UTC.
/// </summary>
public sealed class CronSchedule
{
    public const int MaxExpressionChars = 200;

    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// Parses <paramref name="cron"/> (5 fields, 6 with seconds first, or a macro such as
    /// <c>@daily</c>) and <paramref name="timeZone"/> (an IANA id such as <c>Europe/Berlin</c>),
    /// or says what is wrong and which field it is.
    /// </summary>
    public static (CronSchedule? Schedule, string? Problem, string? Field) Parse(string? cron, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(cron))
            return (null, "cron is required: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, such as \"30 2 * * *\".", "cron");
        cron = cron.Trim();
        if (cron.Length > MaxExpressionChars || cron.Any(char.IsControl))
            return (null, $"cron must be one line of at most {MaxExpressionChars} characters.", "cron");
        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        CronFormat format;
        if (cron.StartsWith('@'))
            format = CronFormat.Standard;
        else if (fields is 5 or 6)
            format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        else
            return (null, $"cron must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); \"{cron}\" has {fields}.", "cron");
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, format);
        }
        catch (CronFormatException ex)
        {
            return (null, $"cron \"{cron}\" is not valid: {ex.Message}", "cron");
        }
        catch (MissingSeedException)
        {
            return (null, "cron: H (a hashed value) is not supported; give the minute or hour itself.", "cron");
        }
        if (string.IsNullOrWhiteSpace(timeZone))
            return (null, "timeZone is required: an IANA time zone such as \"Europe/Berlin\" or \"UTC\".", "timeZone");
        if (!TryFindZone(timeZone.Trim(), out var zone))
            return (null, $"timeZone \"{timeZone}\" is not an IANA time zone this server knows (such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\").", "timeZone");
        return (new CronSchedule(expression, zone), null, null);
    }

    /// <summary>The first time it fires strictly after <paramref name="after"/>, or null when it never does again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last time it fires strictly before <paramref name="before"/>, if that is after <paramref name="after"/>.</summary>
    public DateTimeOffset? LatestBetween(DateTimeOffset after, DateTimeOffset before) =>
        _expression.GetPreviousOccurrence(before, Zone, inclusive: false)?.ToUniversalTime() is { } latest && latest > after ? latest : null;

    /// <summary>The next <paramref name="count"/> times after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var times = new List<DateTimeOffset>(count);
        for (var at = NextAfter(after); at is { } t && times.Count < count; at = NextAfter(t))
            times.Add(t);
        return times;
    }

    /// <summary>A time as the zone's clock shows it, with its offset: "2025-03-30 03:00 +02:00".</summary>
    public string Local(DateTimeOffset utc) =>
        TimeZoneInfo.ConvertTime(utc, Zone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);

    private static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        // IANA ids only (the server has no ICU to map Windows names); never a path.
        if (id.Contains("..", StringComparison.Ordinal) || id.StartsWith('/') || id.Length > 64)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }
}
