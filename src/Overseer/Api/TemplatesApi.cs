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
            TypedResults.Ok(new ListResponse<TemplateDto>(await catalog.ListAsync(context.Request.Query["category"].FirstOrDefault(), context.RequestAborted), null)));
        templates.MapGet("/{id}", async (string id, TemplateCatalog catalog, CancellationToken ct) =>
            await catalog.FindAsync(id, ct) is { } template ? TypedResults.Ok(template) : Failed(TemplateOutcome.NotFound(id)));
        templates.MapPost("", async (HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveTemplateRequest);
            if (problem is not null)
                return problem;
            var outcome = await catalog.CreateAsync(request!, context.User.Name(), context.RequestAborted);
            return outcome.Template is { } created ? TypedResults.Created($"/api/templates/{created.Id}", created) : Failed(outcome);
        });
        templates.MapPut("/{id}", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveTemplateRequest);
            if (problem is not null)
                return problem;
            var outcome = await catalog.UpdateAsync(id, request!, context.RequestAborted);
            return outcome.Template is { } updated ? TypedResults.Ok(updated) : Failed(outcome);
        });
        templates.MapDelete("/{id}", async (string id, TemplateCatalog catalog, CancellationToken ct) =>
        {
            var outcome = await catalog.DeleteAsync(id, ct);
            return outcome.Code is null ? TypedResults.NoContent() : Failed(outcome);
        });
        templates.MapPost("/{id}/copy", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CopyTemplateRequest, allowEmpty: true);
            if (problem is not null)
                return problem;
            var outcome = await catalog.CopyAsync(id, request?.Name, context.User.Name(), context.RequestAborted);
            return outcome.Template is { } copy ? TypedResults.Created($"/api/templates/{copy.Id}", copy) : Failed(outcome);
        });
        templates.MapPost("/{id}/render", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RenderTemplateRequest, allowEmpty: true);
            if (problem is not null)
                return problem;
            var (prompt, failure) = await catalog.RenderAsync(id, request?.Parameters, context.RequestAborted);
            return failure is null ? TypedResults.Ok(new RenderedTemplateDto(prompt!)) : Failed(failure);
        });
        templates.MapPost("/{id}/run", RunAsync);
        return api;
    }

    private static async Task<IResult> RunAsync(string id, HttpContext context, TemplateCatalog catalog, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.RunTemplateRequest);
        if (problem is not null)
            return problem;
        var (created, failure) = await catalog.RunAsync(id, request!, context.User.Name(), context.RequestAborted);
        if (failure is not null)
            return Failed(failure);
        if (created!.SessionId is null)
        {
            var status = created.Code == ErrorCodes.ShuttingDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
            return Problems.Result(status, created.Code!, created.Error!, created.Field);
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
