using System.Globalization;

namespace Overseer;

/// <summary>Token counts and dollars as people read them, the same in the terminal and the browser.</summary>
public static class Units
{
    public static string Tokens(long tokens) => tokens switch
    {
        < 10_000 => tokens.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (tokens / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (tokens / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + "M",
    };

    public static string Cost(decimal usd) => "$" + usd.ToString(usd < 1 ? "0.0000" : "0.00", CultureInfo.InvariantCulture);
}
