using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Api;

public static class ApprovalsApi
{
    private static readonly string[] Statuses = ["pending", "approved", "denied"];

    public static RouteGroupBuilder MapApprovalsApi(this RouteGroupBuilder api)
    {
        var approvals = api.MapGroup("/approvals");
        approvals.MapListAndGet<ApprovalDto>(Statuses, "approval", ErrorCodes.ApprovalNotFound,
            (model, query, ct) => model.ListApprovalsAsync(query, ct), (model, id, ct) => model.GetApprovalAsync(id, ct));
        approvals.MapPost("/{id}/approve", async (string id, HttpContext context, SessionManager manager, IReadModel readModel, ProjectAccess access) =>
        {
            if (await RefuseAsync(id, context, readModel, access) is { } refused)
                return refused;
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.ApproveRequest);
            if (problem is not null)
                return problem;
            var result = await manager.ApproveAsync(id, request!.Confirm, request.Remember, context.User.ActedBy(), context.RequestAborted);
            return await AnswerAsync(id, result, result.Code == ErrorCodes.ConfirmationRequired ? "confirm" : "remember", readModel, context.RequestAborted);
        });
        approvals.MapPost("/{id}/deny", async (string id, HttpContext context, SessionManager manager, IReadModel readModel, ProjectAccess access) =>
        {
            if (await RefuseAsync(id, context, readModel, access) is { } refused)
                return refused;
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.DenyRequest);
            if (problem is not null)
                return problem;
            var result = await manager.DenyAsync(id, request!.Reason, context.User.ActedBy(), context.RequestAborted, request.Hibernate);
            return await AnswerAsync(id, result, "reason", readModel, context.RequestAborted);
        });
        return api;
    }

    /// <summary>
    /// 403 unless the caller may decide in the approval's project (operator or above, with the
    /// token's ceiling applied): a read-only token sees approvals but cannot decide them.
    /// </summary>
    private static async Task<IResult?> RefuseAsync(string id, HttpContext context, IReadModel readModel, ProjectAccess access)
    {
        if (await readModel.GetApprovalAsync(id, context.RequestAborted) is not { } approval)
            return null; // the decision itself answers 404
        var projectId = (await readModel.GetSessionAsync(approval.SessionId, context.RequestAborted))?.ProjectId;
        return projectId is not null && await access.HasAsync(context.User, projectId, Roles.Operator, context.RequestAborted)
            ? null
            : Problems.Result(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                $"Deciding approvals needs the operator role in the session's project; you act as '{context.User.Role()}' (a token's role caps its user's).");
    }

    private static async Task<IResult> AnswerAsync(string id, CommandResult result, string field, IReadModel readModel, CancellationToken cancellationToken)
    {
        if (!result.Succeeded)
        {
            return result.Outcome == CommandOutcome.Invalid
                ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, field)
                : Problems.From(result);
        }
        return TypedResults.Ok(await readModel.GetApprovalAsync(id, cancellationToken));
    }
}
