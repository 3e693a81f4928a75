using Overseer.Contracts.Api;
using Overseer.Core.Budgets;

namespace Overseer.Core.Tests.Budgets;

public sealed class BudgetWindowTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-03-14T00:00:00Z", "2026-03-14", "2026-03-14", "2026-03-15")]
    [InlineData("2026-03-14T23:59:59.999Z", "2026-03-14", "2026-03-14", "2026-03-15")]
    [InlineData("2026-12-31T22:30:00-05:00", "2027-01-01", "2027-01-01", "2027-01-02")]
    [InlineData("2028-02-28T12:00:00Z", "2028-02-28", "2028-02-28", "2028-02-29")]
    public void Day_IsTheUtcCalendarDay(string now, string key, string from, string until)
    {
        var window = BudgetWindow.For(BudgetPeriods.Day, At(now));

        window.Key.ShouldBe(key);
        window.From.ShouldBe(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
        window.Until.ShouldBe(DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
        window.Start.ShouldBe(At(from + "T00:00:00Z"));
        window.End.ShouldBe(At(until + "T00:00:00Z"));
    }

    [Theory]
    [InlineData("2026-03-14T10:00:00Z", "2026-03", "2026-03-01", "2026-04-01")]
    [InlineData("2026-12-31T23:59:59Z", "2026-12", "2026-12-01", "2027-01-01")]
    [InlineData("2028-02-29T08:00:00Z", "2028-02", "2028-02-01", "2028-03-01")]
    [InlineData("2026-01-31T20:00:00-05:00", "2026-02", "2026-02-01", "2026-03-01")]
    public void Month_IsTheUtcCalendarMonth(string now, string key, string from, string until)
    {
        var window = BudgetWindow.For(BudgetPeriods.Month, At(now));

        window.Key.ShouldBe(key);
        window.From.ShouldBe(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
        window.Until.ShouldBe(DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void None_IsTheSessionsWholeLife()
    {
        var window = BudgetWindow.For(BudgetPeriods.None, At("2026-03-14T10:00:00Z"));

        window.ShouldBe(new BudgetWindow("", null, null));
        window.Start.ShouldBeNull();
    }

    [Fact]
    public void NextBoundary_IsTheNextUtcMidnight()
    {
        BudgetWindow.NextBoundary(At("2026-03-14T10:00:00Z")).ShouldBe(At("2026-03-15T00:00:00Z"));
        BudgetWindow.NextBoundary(At("2026-03-14T00:00:00Z")).ShouldBe(At("2026-03-15T00:00:00Z"));
        BudgetWindow.NextBoundary(At("2026-12-31T23:00:00-02:00")).ShouldBe(At("2027-01-02T00:00:00Z"));
    }
}
