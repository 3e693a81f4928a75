using System.Globalization;

namespace Overseer.Cli.Client;

/// <summary>Numbers, times and ids as people read them in tables.</summary>
public static class Format
{
    /// <summary>Enough of an id to tell sessions apart on one server; any unique prefix resolves back.</summary>
    public static string ShortId(string id) => id.Length > 10 ? id[..10] : id;

    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        return age.TotalSeconds switch
        {
            < 60 => $"{Math.Max(0, (int)age.TotalSeconds)}s",
            < 3600 => $"{(int)age.TotalMinutes}m",
            < 86400 => $"{(int)age.TotalHours}h",
            _ => $"{(int)age.TotalDays}d",
        };
    }

    /// <summary>A moment, to the minute, in the terminal's time zone.</summary>
    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
