using System.Globalization;
using Overseer.Contracts.Api;

namespace Overseer.Core.Budgets;

/// <summary>
/// The period a budget's spend is counted over at a moment: the UTC day or month it falls in
/// (<see cref="From"/> up to, not including, <see cref="Until"/>), or a session's whole life
/// (no days). <see cref="Key"/> names it: <c>2026-12-01</c>, <c>2026-12</c>, or empty.
/// </summary>
public readonly record struct BudgetWindow(string Key, DateOnly? From, DateOnly? Until)
{
    public DateTimeOffset? Start => From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    public DateTimeOffset? End => Until is { } until ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    public static BudgetWindow For(string period, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        switch (period)
        {
            case BudgetPeriods.Day:
                return new BudgetWindow(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today, today.AddDays(1));
            case BudgetPeriods.Month:
                var first = new DateOnly(today.Year, today.Month, 1);
                return new BudgetWindow(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, first.AddMonths(1));
            default:
                return new BudgetWindow("", null, null);
        }
    }

    /// <summary>When the next period of any budget begins after <paramref name="now"/>: the next UTC midnight.</summary>
    public static DateTimeOffset NextBoundary(DateTimeOffset now) =>
        new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
