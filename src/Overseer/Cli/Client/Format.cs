using System.Globalization;

namespace Overseer.Cli.Client;

/// <summary>Numbers, times and ids as people read them in tables.</summary>
public static class Format
{
    /// <summary>Enough of an id to tell sessions apart on one server; any unique prefix resolves back.</summary>
    public static string ShortId(string id) => id.Length > 10 ? id[..10] : id;

    public static string Tokens(long tokens) => tokens switch
    {
        < 10_000 => tokens.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (tokens / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (tokens / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "M",
    };

    public static string Cost(decimal usd) => "$" + usd.ToString(usd < 1 ? "0.0000" : "0.00", CultureInfo.InvariantCulture);

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
}
