using Overseer.Auth;
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
        dependencies.MapListAndGet<DependencyDto>(Statuses, "dependency", ErrorCodes.DependencyNotFound,
            (model, query, ct) => model.ListDependenciesAsync(query, ct), (model, id, ct) => model.GetDependencyAsync(id, ct), ProjectFrom.Dependency);
        dependencies.MapPost("/{id}/provide", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.ProvideDependencyRequest);
            if (problem is not null)
                return problem;
            var result = await manager.ProvideDependencyAsync(id, request!.Value, request.Secret, context.User.ActedBy(), context.RequestAborted);
            if (!result.Succeeded)
            {
                return result.Outcome == CommandOutcome.Invalid
                    ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, result.Field ?? (request.Secret is not null ? "secret" : "value"))
                    : Problems.From(result);
            }
            return TypedResults.Ok(await readModel.GetDependencyAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator, ProjectFrom.Dependency);
        return api;
    }
}
