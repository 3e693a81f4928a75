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
        projects.MapPost("", CreateAsync);
        projects.MapGet("", async (IReadModel readModel, CancellationToken ct) =>
            TypedResults.Ok(new ListResponse<ProjectDto>(await readModel.ListProjectsAsync(ct), null)));
        projects.MapGet("/{id}", async (string id, IReadModel readModel, CancellationToken ct) =>
            await readModel.GetProjectAsync(id, ct) is { } project
                ? TypedResults.Ok(project)
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"No project has id '{id}'."));
        projects.MapDelete("/{id}", DeleteAsync);
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
