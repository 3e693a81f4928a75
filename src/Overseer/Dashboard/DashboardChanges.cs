using Overseer.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Core.Workspaces;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>The session page's Changes tab and its Merge and Discard buttons: the same engine calls as the API.</summary>
public static class DashboardChanges
{
    public static RouteGroupBuilder MapChangesPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/sessions/{id}/changes", async (string id, HttpContext context, DashboardData data, IEventStore store, IOptions<WorktreeOptions> options, CancellationToken ct) =>
        {
            if (await data.ReadModel.GetSessionAsync(id, ct) is not { } session)
                return DashboardEndpoints.NotFoundPage(context, $"There is no session '{id}'.");
            var (changes, problem) = await ChangesApi.ReadAsync(id, data.ReadModel, options.Value, ct);
            return DashboardEndpoints.Page<ChangesPage>(context, $"/ui/stream?view=changes&after={store.LastSeq}", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(ChangesPage.Session)] = session,
                [nameof(ChangesPage.Project)] = await data.ReadModel.GetProjectAsync(session.ProjectId, ct),
                [nameof(ChangesPage.Changes)] = changes,
                [nameof(ChangesPage.Problem)] = problem,
            });
        }).Requires(Roles.Viewer, ProjectFrom.Session);
        return pages;
    }

    /// <summary>Inside the <c>/ui</c> group, so anti-forgery is checked first. Success reloads the tab to show the new state.</summary>
    public static RouteGroupBuilder MapChangesActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/sessions/{id}/merge", async (string id, HttpContext context, SessionManager manager) =>
        {
            var (result, outcome) = await manager.MergeAsync(id, context.User.ActedBy(), context.RequestAborted);
            if (result.Succeeded)
                return Reload(context);
            return Outcome(Problems.StatusOf(result), "Not merged.", result.Message ?? "The merge did not happen.", Worktrees.BranchFor(id), outcome?.Conflicts ?? []);
        }).Requires(Roles.Operator, ProjectFrom.Session);
        ui.MapPost("/sessions/{id}/discard", async (string id, HttpContext context, SessionManager manager) =>
        {
            var result = await manager.DiscardAsync(id, context.User.ActedBy(), context.RequestAborted);
            return result.Succeeded ? Reload(context) : Outcome(Problems.StatusOf(result), "Not discarded.", result.Message ?? "The discard did not happen.", "", []);
        }).Requires(Roles.Operator, ProjectFrom.Session);
        return ui;
    }

    private static IResult Reload(HttpContext context)
    {
        context.Response.Headers["HX-Refresh"] = "true";
        return Results.NoContent();
    }

    private static RazorComponentResult Outcome(int status, string title, string message, string branch, IReadOnlyList<string> conflicts) =>
        new RazorComponentResult<ChangesOutcome>(new Dictionary<string, object?>
        {
            [nameof(ChangesOutcome.Title)] = title,
            [nameof(ChangesOutcome.Message)] = message,
            [nameof(ChangesOutcome.Branch)] = branch,
            [nameof(ChangesOutcome.Conflicts)] = conflicts,
        }) { StatusCode = status };
}
