using System.Collections.Concurrent;
using Overseer.Storage;

namespace Overseer.Core.Budgets;

/// <summary>
/// Measures the budgets that cover a session against what has been spent: at each turn boundary
/// (after usage is recorded), before a turn starts, and before a session is created. Every figure is
/// read from the store, so every session and every server restart sees the same spend.
/// </summary>
public sealed class BudgetGuard(IBudgetStore store, TimeProvider time)
{
    // Warnings claimed by a session about to store one, so two sessions crossing 80% of a shared
    // budget together warn once; the stored warnings say the same after a restart.
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    public Task<BudgetStanding> StandingAsync(BudgetRecord budget, CancellationToken cancellationToken) =>
        StandingAsync(budget, time.GetUtcNow(), cancellationToken);

    /// <summary>Every budget that covers the subject, narrowest first, with its spend in the current period.</summary>
    public async Task<IReadOnlyList<BudgetStanding>> StandingsAsync(BudgetSubject subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await store.CoveringWithSpendAsync(subject.SessionId, subject.ProjectId, subject.UserId, period => BudgetWindow.For(period, now).Key, cancellationToken);
        return [.. read.Select(r => new BudgetStanding(r.Budget, BudgetWindow.For(r.Budget.Period, now), r.Spent))];
    }

    /// <summary>The budget that stops the subject now (the narrowest one spent), unless a person approved an overrun the session is still within.</summary>
    public async Task<BudgetStanding?> StopAsync(BudgetSubject subject, CancellationToken cancellationToken)
    {
        var spent = (await StandingsAsync(subject, cancellationToken)).FirstOrDefault(s => s.Exceeded);
        return spent is null || await OverrunCoversAsync(subject, cancellationToken) ? null : spent;
    }

    /// <summary>After the session's usage changed: the budgets that crossed 80% for the first time in their period, and the one that stops it.</summary>
    public async Task<BudgetCheck> CheckAsync(BudgetSubject subject, CancellationToken cancellationToken)
    {
        var standings = await StandingsAsync(subject, cancellationToken);
        var warnings = new List<BudgetStanding>();
        foreach (var standing in standings.Where(s => s.Warning))
        {
            var limit = BudgetKeys.Limit(standing.Budget.LimitUsd, standing.Budget.LimitTokens);
            if (!_warned.TryAdd($"{standing.Budget.Id}|{standing.Window.Key}|{limit}", true))
                continue;
            if (!await store.WarnedAsync(standing.Budget.Id, standing.Window.Key, limit, cancellationToken))
                warnings.Add(standing);
        }
        var spent = standings.FirstOrDefault(s => s.Exceeded);
        if (spent is not null && await OverrunCoversAsync(subject, cancellationToken))
            spent = null;
        return new BudgetCheck(warnings, spent);
    }

    private async Task<bool> OverrunCoversAsync(BudgetSubject subject, CancellationToken cancellationToken) =>
        subject.SessionId is { } id && await store.OverrunAsync(id, cancellationToken) is { } overrun && overrun.SessionCostUsd <= overrun.UntilUsd;

    private async Task<BudgetStanding> StandingAsync(BudgetRecord budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = BudgetWindow.For(budget.Period, now);
        var spent = await store.SpendAsync(budget.Scope, budget.Target, window.Key, cancellationToken);
        return new BudgetStanding(budget, window, spent);
    }
}
