using System.Globalization;

namespace Overseer.Storage;

/// <summary>The keys a budget's 80% warning is stored under: one per period and limits, so raising a limit warns again.</summary>
public static class BudgetKeys
{
    public static string Limit(decimal limitUsd, long? limitTokens) =>
        Sqlite.NanoUsd.From(limitUsd).ToString(CultureInfo.InvariantCulture) + ":" + limitTokens?.ToString(CultureInfo.InvariantCulture);
}
