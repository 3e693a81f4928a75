using Overseer.Auth;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Api;
using Overseer.Core.Workspaces;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary><c>GET /api/sessions/{id}/changes</c>: what a worktree session would land, before it is merged or discarded.</summary>
public static class ChangesApi
{
    public static RouteGroupBuilder MapChangesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id}/changes", async (string id, IReadModel readModel, IOptions<WorktreeOptions> options, CancellationToken ct) =>
        {
            var (changes, problem) = await ReadAsync(id, readModel, options.Value, ct);
            return changes is not null ? TypedResults.Ok(changes) : problem!.ToResult();
        }).Requires(Roles.Viewer, ProjectFrom.Session);
        return api;
    }

    /// <summary>The session's changes, or why there are none to show; the dashboard's Changes tab asks the same.</summary>
    public static async Task<(SessionChangesDto? Changes, ApiProblem? Problem)> ReadAsync(string id, IReadModel readModel, WorktreeOptions options, CancellationToken cancellationToken)
    {
        if (await readModel.GetSessionAsync(id, cancellationToken) is not { } session)
            return (null, new(StatusCodes.Status404NotFound, ErrorCodes.SessionNotFound, $"No session has id '{id}'."));
        if (session.Worktree is not { } worktree)
            return (null, new(StatusCodes.Status409Conflict, ErrorCodes.NoWorktree,
                "The session has no worktree (it was not created with isolation \"worktree\"): its changes are in the project's own checkout."));
        if (worktree.State == "discarded")
            return (null, new(StatusCodes.Status409Conflict, ErrorCodes.WorktreeDiscarded,
                $"The session's worktree and branch {worktree.Branch} were discarded: there are no changes left to show."));
        if (await readModel.GetProjectAsync(session.ProjectId, cancellationToken) is not { } project)
            return (null, new(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"The session's project '{session.ProjectId}' no longer exists."));
        try
        {
            var info = new WorktreeInfo(worktree.Path, worktree.Branch, worktree.BaseCommit);
            return (await WorktreeChanges.ReadAsync(id, project.Path, info, worktree.State, options.MaxDiffChars, cancellationToken), null);
        }
        catch (GitException ex)
        {
            return (null, new(StatusCodes.Status409Conflict, ErrorCodes.GitFailed, ex.Message));
        }
    }
}
