using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Workspaces;
using Overseer.Storage;

namespace Overseer.Api;

public static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects");
        projects.MapPost("", CreateAsync).Requires(Roles.Admin);
        projects.MapGet("", async (HttpContext context, IReadModel readModel, CancellationToken ct) =>
        {
            var visible = await Visibility.ProjectsAsync(context);
            var all = await readModel.ListProjectsAsync(ct);
            return TypedResults.Ok(new ListResponse<ProjectDto>(visible is null ? all : [.. all.Where(p => visible.Contains(p.Id))], null));
        }).Requires(Roles.Viewer);
        projects.MapGet("/{id}", async (string id, IReadModel readModel, CancellationToken ct) =>
            await readModel.GetProjectAsync(id, ct) is { } project
                ? TypedResults.Ok(project)
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"No project has id '{id}'."))
            .Requires(Roles.Viewer, ProjectFrom.Project);
        projects.MapPatch("/{id}", UpdateAsync).Requires(Roles.Admin, ProjectFrom.Project);
        projects.MapDelete("/{id}", DeleteAsync).Requires(Roles.Admin);
        return api;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ProjectRegistry registry)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CreateProjectRequest);
        if (problem is not null)
            return problem;
        var result = await registry.CreateAsync(request!.Path, request.Name, context.User.Name(), context.RequestAborted);
        if (result.Project is { } project)
            return TypedResults.Created($"/api/projects/{project.Id}", project);
        var status = result.Code is ErrorCodes.ProjectExists or ErrorCodes.ProjectNested ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Problems.Result(status, result.Code!, result.Error!, result.Field);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, ProjectRegistry registry)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.UpdateProjectRequest);
        if (problem is not null)
            return problem;
        var project = await registry.UpdateAsync(id, request!.OperatorsMayApproveRed, context.User.Name(), context.RequestAborted);
        return project is not null
            ? TypedResults.Ok(project)
            : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"No project has id '{id}'.");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, ProjectRegistry registry)
    {
        var result = await registry.DeleteAsync(id, context.User.Name(), context.RequestAborted);
        return result.Code switch
        {
            null => TypedResults.NoContent(),
            ErrorCodes.ProjectNotFound => Problems.Result(StatusCodes.Status404NotFound, result.Code, result.Error!),
            _ => Problems.Result(StatusCodes.Status409Conflict, result.Code, result.Error!),
        };
    }
}
