namespace Overseer.Storage.Sqlite;

/// <summary>Dollars as whole billionths, as the store keeps every cost and limit: sums stay exact.</summary>
internal static class NanoUsd
{
    public static long From(decimal usd) => (long)decimal.Round(usd * 1_000_000_000m);

    public static decimal ToUsd(long nano) => nano / 1_000_000_000m;
}
