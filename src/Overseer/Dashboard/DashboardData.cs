using System.Security.Claims;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Budgets;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>The reads the dashboard's pages and live fragments share, each limited to what the viewer may see.</summary>
public sealed class DashboardData(IReadModel readModel, ProjectAccess access, BudgetGuard budgets, BudgetRights budgetRights)
{
    public const int MaxCards = 200;

    public IReadModel ReadModel => readModel;

    /// <summary>Everything waiting for a person: one count over the one collection of open items.</summary>
    public async Task<int> InboxCountAsync(ClaimsPrincipal viewer, CancellationToken cancellationToken) =>
        await readModel.CountPendingAsync(await VisibleAsync(viewer, cancellationToken), cancellationToken);

    /// <summary>The projects the viewer may see (null: all). Asked afresh at each render, so a membership change shows at once.</summary>
    public async Task<IReadOnlyCollection<string>?> VisibleAsync(ClaimsPrincipal viewer, CancellationToken cancellationToken) =>
        await access.VisibleProjectsAsync(viewer, cancellationToken);

    /// <summary>The viewer's role in a project (null: none), for what a page offers them.</summary>
    public async Task<string?> RoleInAsync(ClaimsPrincipal viewer, string projectId, CancellationToken cancellationToken) =>
        await access.RoleInAsync(viewer, projectId, cancellationToken);

    /// <summary>
    /// What holds a session a budget paused or keeps in the queue (its reason says so), with what the
    /// viewer may do about it; null for every other session.
    /// </summary>
    public async Task<BudgetHold?> BudgetHoldAsync(ClaimsPrincipal viewer, SessionDto session, CancellationToken cancellationToken)
    {
        if (!HeldByBudget(session))
            return null;
        var stop = await budgets.StopAsync(new BudgetSubject(session.Id, session.ProjectId, session.StartedBy?.Id), cancellationToken);
        var canRaise = stop is not null && await budgetRights.RefusalAsync(viewer, stop.Budget, BudgetCatalog.NotFound(stop.Budget.Id), cancellationToken) is null;
        var canApprove = Roles.AtLeast(await access.RoleInAsync(viewer, session.ProjectId, cancellationToken), Roles.Operator);
        return new BudgetHold(stop, session.Status == SessionStatus.Queued, canRaise, canApprove);
    }

    /// <summary>Paused by a spent budget, or kept in the queue by one: it waits for a person to raise the limit or approve an overrun.</summary>
    public static bool HeldByBudget(SessionDto session) =>
        session.Reason == "budget" && session.Status is SessionStatus.Paused or SessionStatus.Queued;

    /// <summary>Pending items, newest first: every session's, or one session's.</summary>
    public async Task<IReadOnlyList<PendingEntry>> PendingAsync(ClaimsPrincipal viewer, string? sessionId, CancellationToken cancellationToken)
    {
        var query = new ItemQuery("pending", sessionId, Limit: 200, Projects: await VisibleAsync(viewer, cancellationToken));
        var approvals = await readModel.ListApprovalsAsync(query, cancellationToken);
        var questions = await readModel.ListQuestionsAsync(query, cancellationToken);
        var dependencies = await readModel.ListDependenciesAsync(query, cancellationToken);
        var reviews = await readModel.ListReviewsAsync(query, cancellationToken);
        // Lists leave out the diff; a review is decided on its diff, so fetch each in full.
        var fullReviews = new List<ReviewDto>(reviews.Items.Count);
        foreach (var review in reviews.Items)
            fullReviews.Add(await readModel.GetReviewAsync(review.Id, cancellationToken) ?? review);
        return
        [
            .. approvals.Items.Select(a => new PendingEntry(a, a.SessionId, a.CreatedAt))
                .Concat(questions.Items.Select(q => new PendingEntry(q, q.SessionId, q.CreatedAt)))
                .Concat(dependencies.Items.Select(d => new PendingEntry(d, d.SessionId, d.CreatedAt)))
                .Concat(fullReviews.Select(r => new PendingEntry(r, r.SessionId, r.CreatedAt)))
                .OrderByDescending(e => e.CreatedAt),
        ];
    }

    /// <summary>The approval, question, dependency or review an event is about, as it stands now.</summary>
    public async Task<object?> ItemAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        if (ItemKey(e) is not { } key)
            return null;
        return key.Kind switch
        {
            "approval" => await readModel.GetApprovalAsync(key.Id, cancellationToken),
            "question" => await readModel.GetQuestionAsync(key.Id, cancellationToken),
            "dependency" => await readModel.GetDependencyAsync(key.Id, cancellationToken),
            _ => await readModel.GetReviewAsync(key.Id, cancellationToken),
        };
    }

    /// <summary>Which pending item an event opens or closes, and whether it opens it.</summary>
    public static (string Kind, string Id, bool Opened)? ItemKey(EventEnvelope e) =>
        PendingItemChange.Of(e.Type, e.Data) is { } change ? (change.Kind.ToWire(), change.Id, change.Opened) : null;

    public async Task<IReadOnlyDictionary<string, ProjectDto>> ProjectsAsync(ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        var visible = await VisibleAsync(viewer, cancellationToken);
        return (await readModel.ListProjectsAsync(cancellationToken)).Where(p => visible is null || visible.Contains(p.Id)).ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The board's sessions, what needs a person first: waiting ones, then those at work, then
    /// the rest, newest first in each. Waiting ones are read on their own, so none is left out
    /// behind the newest <see cref="MaxCards"/>.
    /// </summary>
    public async Task<IReadOnlyList<SessionDto>> SessionsAsync(ClaimsPrincipal viewer, SessionStatus? status, string? projectId, string? type, CancellationToken cancellationToken)
    {
        var visible = await VisibleAsync(viewer, cancellationToken);
        var sessions = (await readModel.ListSessionsAsync(new SessionQuery(status is { } s ? [s] : null, projectId, Limit: MaxCards, Projects: visible, Type: type), cancellationToken)).Items;
        if (status is null)
        {
            var waiting = await readModel.ListSessionsAsync(new SessionQuery([SessionStatus.Waiting], projectId, Limit: MaxCards, Projects: visible, Type: type), cancellationToken);
            sessions = [.. waiting.Items.Concat(sessions).DistinctBy(x => x.Id)];
        }
        return [.. sessions.OrderBy(Group).ThenByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id, StringComparer.Ordinal)];
    }

    private static int Group(SessionDto session) =>
        session.Status == SessionStatus.Waiting || session.Pending is { Approvals: > 0 } or { Questions: > 0 } or { Dependencies: > 0 } or { Reviews: > 0 } || HeldByBudget(session) ? 0
        : session.Status is SessionStatus.Running or SessionStatus.Starting or SessionStatus.Queued or SessionStatus.RateLimited ? 1
        : 2;
}
