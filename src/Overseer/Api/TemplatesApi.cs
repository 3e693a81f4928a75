using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>Templates: reusable prompts with parameters, and running one as a session.</summary>
public static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates");
        templates.MapGet("", async (HttpContext context, TemplateCatalog catalog) =>
            TypedResults.Ok(new ListResponse<TemplateDto>(await catalog.ListAsync(context.Request.Query["category"].FirstOrDefault(), context.RequestAborted), null)))
            .Requires(Roles.Viewer);
        templates.MapGet("/{id}", async (string id, TemplateCatalog catalog, CancellationToken ct) =>
            await catalog.FindAsync(id, ct) is { } template ? TypedResults.Ok(template) : Failed(TemplateOutcome.NotFound(id)))
            .Requires(Roles.Viewer);
        templates.MapPost("", async (HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveTemplateRequest);
            if (problem is not null)
                return problem;
            var outcome = await catalog.CreateAsync(request!, context.User.Name(), context.RequestAborted);
            return outcome.Template is { } created ? TypedResults.Created($"/api/templates/{created.Id}", created) : Failed(outcome);
        }).Requires(Roles.Operator);
        templates.MapPut("/{id}", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveTemplateRequest);
            if (problem is not null)
                return problem;
            var outcome = await catalog.UpdateAsync(id, request!, context.RequestAborted);
            return outcome.Template is { } updated ? TypedResults.Ok(updated) : Failed(outcome);
        }).Requires(Roles.Admin);
        templates.MapDelete("/{id}", async (string id, TemplateCatalog catalog, CancellationToken ct) =>
        {
            var outcome = await catalog.DeleteAsync(id, ct);
            return outcome.Code is null ? TypedResults.NoContent() : Failed(outcome);
        }).Requires(Roles.Admin);
        templates.MapPost("/{id}/copy", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CopyTemplateRequest, allowEmpty: true);
            if (problem is not null)
                return problem;
            var outcome = await catalog.CopyAsync(id, request?.Name, context.User.Name(), context.RequestAborted);
            return outcome.Template is { } copy ? TypedResults.Created($"/api/templates/{copy.Id}", copy) : Failed(outcome);
        }).Requires(Roles.Operator);
        templates.MapPost("/{id}/render", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RenderTemplateRequest, allowEmpty: true);
            if (problem is not null)
                return problem;
            var (prompt, failure) = await catalog.RenderAsync(id, request?.Parameters, context.RequestAborted);
            return failure is null ? TypedResults.Ok(new RenderedTemplateDto(prompt!)) : Failed(failure);
        }).Requires(Roles.Viewer);
        // Running needs the operator role in the chosen project: checked globally here, in the project below.
        templates.MapPost("/{id}/run", RunAsync).Requires(Roles.Operator);
        return api;
    }

    private static async Task<IResult> RunAsync(string id, HttpContext context, TemplateCatalog catalog, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RunTemplateRequest);
        if (problem is not null)
            return problem;
        if (await Visibility.CheckProjectAsync(context, request!.ProjectId, Roles.Operator) is { } refused)
            return refused.ToResult();
        var (created, failure) = await catalog.RunAsync(id, request, context.User.ActedBy(), context.RequestAborted);
        if (failure is not null)
            return Failed(failure);
        if (created!.SessionId is null)
        {
            return Problems.Result(SessionsApi.CreateStatus(created.Code), created.Code!, created.Error!, created.Field);
        }
        return TypedResults.Created($"/api/sessions/{created.SessionId}", await readModel.GetSessionAsync(created.SessionId, context.RequestAborted));
    }

    private static IResult Failed(TemplateOutcome outcome) => Problems.Result(
        outcome.Code switch
        {
            ErrorCodes.TemplateNotFound => StatusCodes.Status404NotFound,
            ErrorCodes.TemplateExists or ErrorCodes.TemplateBuiltIn => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        outcome.Code!, outcome.Message!, outcome.Field);
}
