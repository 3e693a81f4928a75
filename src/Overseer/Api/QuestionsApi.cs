using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Api;

public static class QuestionsApi
{
    private static readonly string[] Statuses = ["pending", "answered", "cancelled"];

    public static RouteGroupBuilder MapQuestionsApi(this RouteGroupBuilder api)
    {
        var questions = api.MapGroup("/questions");
        questions.MapListAndGet<QuestionDto>(Statuses, "question", ErrorCodes.QuestionNotFound,
            (model, query, ct) => model.ListQuestionsAsync(query, ct), (model, id, ct) => model.GetQuestionAsync(id, ct), ProjectFrom.Question);
        questions.MapPost("/{id}/answer", AnswerAsync).Requires(Roles.Operator, ProjectFrom.Question);
        return api;
    }

    private static async Task<IResult> AnswerAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.AnswerQuestionRequest);
        if (problem is not null)
            return problem;
        var result = await manager.AnswerQuestionAsync(id, request!.Answers, context.User.ActedBy(), context.RequestAborted);
        if (!result.Succeeded)
        {
            return result.Outcome == CommandOutcome.Invalid
                ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, "answers")
                : Problems.From(result);
        }
        return TypedResults.Ok(await readModel.GetQuestionAsync(id, context.RequestAborted));
    }
}
