using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>
/// <c>/api/tokens</c>: create (the token is in the answer once, never again), list (your own;
/// <c>?all=true</c> for owners) and revoke, which closes the token's open streams and sockets.
/// </summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        // Everyone signed in manages their own tokens; TokenManager decides whose they may see or revoke.
        var tokens = api.MapGroup("/tokens").Requires(Roles.Viewer);
        tokens.MapPost("", async (HttpContext context, TokenManager manager) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CreateTokenRequest);
            if (problem is not null)
                return problem;
            var (created, refused) = await manager.CreateAsync(context.User, request!, context.RequestAborted);
            return refused is not null ? Result(refused) : TypedResults.Created($"/api/tokens/{created!.Info.Id}", created);
        });
        tokens.MapGet("", async (HttpContext context, TokenManager manager) =>
        {
            var all = context.Request.Query["all"].FirstOrDefault();
            if (all is not (null or "true" or "false"))
                return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "Query parameter 'all' must be true or false.", "all");
            var (list, refused) = await manager.ListAsync(context.User, all == "true", context.RequestAborted);
            return refused is not null ? Result(refused) : TypedResults.Ok(new ListResponse<TokenDto>(list!, null));
        });
        tokens.MapGet("/{id}", async (string id, HttpContext context, TokenManager manager) =>
            await manager.GetAsync(context.User, id, context.RequestAborted) is { } token
                ? TypedResults.Ok(token)
                : Result(TokenProblem.NotFound(id)));
        tokens.MapDelete("/{id}", async (string id, HttpContext context, TokenManager manager) =>
            await manager.RevokeAsync(context.User, id, context.RequestAborted) is { } refused ? Result(refused) : TypedResults.NoContent());
        return api;
    }

    private static IResult Result(TokenProblem problem) => Problems.Result(problem.Status, problem.Code, problem.Message, problem.Field);
}
