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
            (model, query, ct) => model.ListApprovalsAsync(query, ct), (model, id, ct) => model.GetApprovalAsync(id, ct), ProjectFrom.Approval);
        approvals.MapPost("/{id}/approve", async (string id, HttpContext context, SessionManager manager, IReadModel readModel, ApprovalRights rights) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.ApproveRequest);
            if (problem is not null)
                return problem;
            if (await rights.RefusalAsync(context.User, id, context.RequestAborted) is { } refusal)
                return Problems.Result(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, refusal);
            var result = await manager.ApproveAsync(id, request!.Confirm, request.Remember, context.User.ActedBy(), context.RequestAborted);
            return await AnswerAsync(id, result, result.Code == ErrorCodes.ConfirmationRequired ? "confirm" : "remember", readModel, context.RequestAborted);
        }).Requires(Roles.Operator, ProjectFrom.Approval);
        approvals.MapPost("/{id}/deny", DenyAsync).Requires(Roles.Operator, ProjectFrom.Approval);
        // Seed 001's name for the same decision.
        approvals.MapPost("/{id}/reject", DenyAsync).Requires(Roles.Operator, ProjectFrom.Approval);
        return api;
    }

    private static async Task<IResult> DenyAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.DenyRequest, allowEmpty: true);
        if (problem is not null)
            return problem;
        var result = await manager.DenyAsync(id, request?.Reason, context.User.ActedBy(), context.RequestAborted, request?.Hibernate ?? false);
        return await AnswerAsync(id, result, "reason", readModel, context.RequestAborted);
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
