using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Api;

public static class ReviewsApi
{
    private static readonly string[] Statuses = ["pending", "approved", "changes_requested", "cancelled"];

    public static RouteGroupBuilder MapReviewsApi(this RouteGroupBuilder api)
    {
        var reviews = api.MapGroup("/reviews");
        reviews.MapListAndGet<ReviewDto>(Statuses, "review", ErrorCodes.ReviewNotFound,
            (model, query, ct) => model.ListReviewsAsync(query, ct), (model, id, ct) => model.GetReviewAsync(id, ct), ProjectFrom.Review);
        reviews.MapPost("/{id}/approve", (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
            DecideAsync(id, approved: true, feedback: null, context, manager, readModel)).Requires(Roles.Operator, ProjectFrom.Review);
        reviews.MapPost("/{id}/request-changes", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RequestChangesRequest);
            return problem ?? await DecideAsync(id, approved: false, request!.Feedback, context, manager, readModel);
        }).Requires(Roles.Operator, ProjectFrom.Review);
        return api;
    }

    private static async Task<IResult> DecideAsync(string id, bool approved, string? feedback, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var result = await manager.DecideReviewAsync(id, approved, feedback, context.User.ActedBy(), context.RequestAborted);
        if (!result.Succeeded)
        {
            return result.Outcome == CommandOutcome.Invalid
                ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, "feedback")
                : Problems.From(result);
        }
        return TypedResults.Ok(await readModel.GetReviewAsync(id, context.RequestAborted));
    }
}
