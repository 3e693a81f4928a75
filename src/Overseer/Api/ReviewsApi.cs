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
        reviews.MapGet("", ListAsync);
        reviews.MapGet("/{id}", async (string id, IReadModel readModel, CancellationToken ct) =>
            await readModel.GetReviewAsync(id, ct) is { } review
                ? TypedResults.Ok(review)
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.ReviewNotFound, $"No review has id '{id}'."));
        reviews.MapPost("/{id}/approve", (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
            DecideAsync(id, approved: true, feedback: null, context, manager, readModel));
        reviews.MapPost("/{id}/request-changes", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RequestChangesRequest);
            return problem ?? await DecideAsync(id, approved: false, request!.Feedback, context, manager, readModel);
        });
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IReadModel readModel)
    {
        if (!QueryParams.TryItemQuery(context.Request, Statuses, out var query, out var problem))
            return problem!;
        var page = await readModel.ListReviewsAsync(query, context.RequestAborted);
        return TypedResults.Ok(new ListResponse<ReviewDto>(page.Items, page.Next));
    }

    private static async Task<IResult> DecideAsync(string id, bool approved, string? feedback, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var result = await manager.DecideReviewAsync(id, approved, feedback, context.User.Name(), context.RequestAborted);
        if (!result.Succeeded)
        {
            return result.Outcome == CommandOutcome.Invalid
                ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, "feedback")
                : Problems.From(result);
        }
        return TypedResults.Ok(await readModel.GetReviewAsync(id, context.RequestAborted));
    }
}
