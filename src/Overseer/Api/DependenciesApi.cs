using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Api;

public static class DependenciesApi
{
    private static readonly string[] Statuses = ["pending", "provided", "cancelled"];

    public static RouteGroupBuilder MapDependenciesApi(this RouteGroupBuilder api)
    {
        var dependencies = api.MapGroup("/dependencies");
        dependencies.MapGet("", async (HttpContext context, IReadModel readModel) =>
        {
            if (!QueryParams.TryItemQuery(context.Request, Statuses, out var query, out var problem))
                return problem!;
            var page = await readModel.ListDependenciesAsync(query, context.RequestAborted);
            return TypedResults.Ok(new ListResponse<DependencyDto>(page.Items, page.Next));
        });
        dependencies.MapGet("/{id}", async (string id, IReadModel readModel, CancellationToken ct) =>
            await readModel.GetDependencyAsync(id, ct) is { } dependency
                ? TypedResults.Ok(dependency)
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.DependencyNotFound, $"No dependency has id '{id}'."));
        dependencies.MapPost("/{id}/provide", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.ProvideDependencyRequest);
            if (problem is not null)
                return problem;
            var result = await manager.ProvideDependencyAsync(id, request!.Value, request.Secret, context.User.Name(), context.RequestAborted);
            if (!result.Succeeded)
            {
                return result.Outcome == CommandOutcome.Invalid
                    ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, request.Secret is not null ? "secret" : "value")
                    : Problems.From(result);
            }
            return TypedResults.Ok(await readModel.GetDependencyAsync(id, context.RequestAborted));
        });
        return api;
    }
}
