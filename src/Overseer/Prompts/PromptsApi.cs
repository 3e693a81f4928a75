using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;

namespace Overseer.Prompts;

/// <summary><c>POST /api/prompts/optimize</c>: a suggested rewrite of a prompt, with its diff; for whoever may start sessions or write templates.</summary>
public static class PromptsApi
{
    public static RouteGroupBuilder MapPromptsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/prompts/optimize", async (HttpContext context, PromptOptimizer optimizer) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, PromptJson.Default.OptimizePromptRequest);
            if (problem is not null)
                return problem;
            var (result, refused) = await optimizer.OptimizeAsync(request!.Prompt, request.Runtime, context.RequestAborted);
            return result is null ? refused!.ToResult() : TypedResults.Json(result, PromptJson.Default.OptimizedPromptDto);
        }).Requires(Roles.Operator);
        return api;
    }
}
