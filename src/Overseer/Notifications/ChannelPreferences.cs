using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// What a person wants on one channel: which kinds (null: all), which projects (null: every
/// project they can see), the lowest safety tier of approvals worth a message, and quiet hours
/// during which notifications wait instead of arriving.
/// </summary>
public sealed record ChannelPreferences(IReadOnlyList<string>? Kinds = null, IReadOnlyList<string>? Projects = null, string? MinTier = null, QuietHours? QuietHours = null)
{
    private static readonly string[] Tiers = ["GREEN", "YELLOW", "ORANGE", "RED", "BLACK"];

    public bool Wants(string kind, string? projectId, string? tier)
    {
        if (Kinds is not null && !Kinds.Contains(kind, StringComparer.Ordinal))
            return false;
        if (Projects is not null && (projectId is null || !Projects.Contains(projectId, StringComparer.Ordinal)))
            return false;
        if (MinTier is not null && tier is not null && Array.IndexOf(Tiers, tier) < Array.IndexOf(Tiers, MinTier))
            return false;
        return true;
    }

    /// <summary>The problem with these preferences for the API to name, or null.</summary>
    public (string Field, string Message)? Problem()
    {
        if (Kinds?.FirstOrDefault(k => !NotificationKinds.All.Contains(k)) is { } kind)
            return ("preferences.kinds", $"'{kind}' is not a kind of notification; use {string.Join(", ", NotificationKinds.All)}.");
        if (MinTier is not null && Array.IndexOf(Tiers, MinTier) < 0)
            return ("preferences.minTier", $"'{MinTier}' is not a tier; use {string.Join(", ", Tiers)}.");
        return QuietHours?.Problem();
    }
}

/// <summary>From <paramref name="Start"/> to <paramref name="End"/> (HH:mm, may wrap midnight) in <paramref name="TimeZone"/> (IANA, default UTC), notifications wait.</summary>
public sealed record QuietHours(string Start, string End, string? TimeZone = null)
{
    /// <summary>When the quiet period around <paramref name="now"/> ends, or null when <paramref name="now"/> is not in one.</summary>
    public DateTimeOffset? EndsAfter(DateTimeOffset now)
    {
        if (Problem() is not null)
            return null;
        var zone = TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var start = TimeOnly.Parse(Start, System.Globalization.CultureInfo.InvariantCulture);
        var end = TimeOnly.Parse(End, System.Globalization.CultureInfo.InvariantCulture);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = start <= end ? time >= start && time < end : time >= start || time < end;
        if (!inside)
            return null;
        var endDay = time >= end ? local.Date.AddDays(1) : local.Date;
        var endLocal = endDay + end.ToTimeSpan();
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal));
    }

    public (string Field, string Message)? Problem()
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (!TimeOnly.TryParseExact(Start, "HH:mm", culture, System.Globalization.DateTimeStyles.None, out _))
            return ("preferences.quietHours.start", "start must be a time of day as HH:mm.");
        if (!TimeOnly.TryParseExact(End, "HH:mm", culture, System.Globalization.DateTimeStyles.None, out _))
            return ("preferences.quietHours.end", "end must be a time of day as HH:mm.");
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            return ("preferences.quietHours.timeZone", $"'{TimeZone}' is not a known time zone (use an IANA name such as Europe/Berlin).");
        return null;
    }
}
