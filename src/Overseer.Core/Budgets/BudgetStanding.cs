using System.Globalization;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Core.Budgets;

/// <summary>A budget with what has been spent in its current period.</summary>
public sealed record BudgetStanding(BudgetRecord Budget, BudgetWindow Window, BudgetSpend Spent)
{
    /// <summary>At this share of its limit a budget warns (once per period and limit).</summary>
    public const int WarningPercent = 80;

    /// <summary>How much of the limit is spent, the higher of dollars and tokens, rounded down.</summary>
    public int Percent
    {
        get
        {
            var share = Budget.LimitUsd > 0 ? Spent.CostUsd / Budget.LimitUsd : 0m;
            if (Budget.LimitTokens is > 0 and var tokens)
                share = Math.Max(share, (decimal)Spent.Tokens / tokens);
            return (int)Math.Min(decimal.Floor(share * 100m), 100_000m);
        }
    }

    public bool Exceeded => Spent.CostUsd >= Budget.LimitUsd || (Budget.LimitTokens is { } tokens && Spent.Tokens >= tokens);

    public bool Warning => !Exceeded && Percent >= WarningPercent;

    public string State => Exceeded ? "exceeded" : Warning ? "warning" : "ok";

    /// <summary>The budget in words: "the daily budget of project demo ($1.00)".</summary>
    public string Name
    {
        get
        {
            var limit = Money(Budget.LimitUsd) + (Budget.LimitTokens is { } tokens ? $" or {tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens" : "");
            var period = Budget.Period switch { BudgetPeriods.Day => "daily", BudgetPeriods.Month => "monthly", _ => "" };
            var target = Budget.TargetName ?? Budget.Target;
            return Budget.Scope switch
            {
                BudgetScopes.Session => $"this session's budget ({limit})",
                BudgetScopes.Project => $"the {period} budget of project {target} ({limit})",
                BudgetScopes.User => $"the {period} budget of user {target} ({limit})",
                _ => $"the server's {period} budget ({limit})",
            };
        }
    }

    /// <summary>"$1.35 of the daily budget of project demo ($1.00) is spent (135%, UTC day 2026-12-01)."</summary>
    public string Describe()
    {
        var when = Budget.Period switch
        {
            BudgetPeriods.Day => $", UTC day {Window.Key}",
            BudgetPeriods.Month => $", UTC month {Window.Key}",
            _ => "",
        };
        var tokens = Budget.LimitTokens is not null ? $" and {Spent.Tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens" : "";
        return $"{Money(Spent.CostUsd)}{tokens} of {Name} {(Exceeded ? "is spent" : "spent")} ({Percent}%{when}).";
    }

    public BudgetDto ToDto() => new(Budget.Id, Budget.Scope, Budget.Scope == BudgetScopes.Global ? null : Budget.Target, Budget.TargetName, Budget.Period,
        Budget.LimitUsd, Budget.LimitTokens, Spent.CostUsd, Spent.Tokens, Percent, State, Window.Start, Window.End,
        Budget.CreatedBy, Budget.CreatedAt, Budget.UpdatedBy, Budget.UpdatedAt);

    /// <summary>Dollars as people read them: cents, or more digits for amounts under a cent.</summary>
    public static string Money(decimal usd) =>
        "$" + (usd != 0 && Math.Abs(usd) < 0.01m ? usd.ToString("0.######", CultureInfo.InvariantCulture) : usd.ToString("0.00", CultureInfo.InvariantCulture));
}
