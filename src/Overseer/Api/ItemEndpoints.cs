using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>
/// The list and get routes every kind of item a person decides on shares (approvals, questions,
/// reviews, dependencies): <c>?status=&amp;sessionId=&amp;cursor=&amp;limit=</c> and a 404 naming the id.
/// Lists hold only items of the caller's projects; a get needs the viewer role in the item's project.
/// </summary>
public static class ItemEndpoints
{
    public static RouteGroupBuilder MapListAndGet<T>(
        this RouteGroupBuilder group,
        IReadOnlyCollection<string> statuses,
        string noun,
        string notFoundCode,
        Func<IReadModel, ItemQuery, CancellationToken, Task<Page<T>>> list,
        Func<IReadModel, string, CancellationToken, Task<T?>> get,
        ProjectFrom from)
        where T : class
    {
        group.MapGet("", async (HttpContext context, IReadModel readModel) =>
        {
            if (!QueryParams.TryItemQuery(context.Request, statuses, out var query, out var problem))
                return problem!;
            var page = await list(readModel, query with { Projects = await Visibility.ProjectsAsync(context) }, context.RequestAborted);
            return TypedResults.Ok(new ListResponse<T>(page.Items, page.Next));
        }).Requires(Roles.Viewer);
        group.MapGet("/{id}", async (string id, IReadModel readModel, CancellationToken cancellationToken) =>
            await get(readModel, id, cancellationToken) is { } item
                ? TypedResults.Ok(item)
                : Problems.Result(StatusCodes.Status404NotFound, notFoundCode, $"No {noun} has id '{id}'."))
            .Requires(Roles.Viewer, from);
        return group;
    }
}
