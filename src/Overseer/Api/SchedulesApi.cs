using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Schedules;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>Schedules: templates run on a cron in a time zone, their runs, and running one now.</summary>
public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/schedules");
        schedules.MapGet("", async (HttpContext context, ScheduleCatalog catalog) =>
            TypedResults.Ok(new ListResponse<ScheduleDto>(await catalog.ListAsync(await Visibility.ProjectsAsync(context), context.RequestAborted), null)))
            .Requires(Roles.Viewer);
        schedules.MapGet("/preview", (HttpContext context, ScheduleCatalog catalog) =>
        {
            if (!QueryParams.TryInt(context.Request, "count", ScheduleCatalog.PreviewCount, 1, 50, out var count, out var problem))
                return problem!;
            var (preview, failure) = catalog.Preview(context.Request.Query["cron"].FirstOrDefault(), context.Request.Query["timeZone"].FirstOrDefault(), count);
            return failure is null ? TypedResults.Ok(preview) : Failed(failure);
        }).Requires(Roles.Viewer);
        schedules.MapGet("/{id}", async (string id, ScheduleCatalog catalog, CancellationToken ct) =>
            await catalog.FindAsync(id, ct) is { } schedule ? TypedResults.Ok(schedule) : Failed(ScheduleOutcome.NotFound(id)))
            .Requires(Roles.Viewer, ProjectFrom.Schedule);
        // Creating needs the operator role in the body's project: checked globally here, in the project below.
        schedules.MapPost("", async (HttpContext context, ScheduleCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveScheduleRequest);
            if (problem is not null)
                return problem;
            if (await Visibility.CheckProjectAsync(context, request!.ProjectId, Roles.Operator) is { } refused)
                return refused.ToResult();
            var outcome = await catalog.CreateAsync(request, context.User.ActedBy(), context.RequestAborted);
            return outcome.Schedule is { } created ? TypedResults.Created($"/api/schedules/{created.Id}", created) : Failed(outcome);
        }).Requires(Roles.Operator);
        schedules.MapPut("/{id}", async (string id, HttpContext context, ScheduleCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SaveScheduleRequest);
            if (problem is not null)
                return problem;
            // Moving it to another project needs the operator role there too.
            if (await Visibility.CheckProjectAsync(context, request!.ProjectId, Roles.Operator) is { } refused)
                return refused.ToResult();
            var outcome = await catalog.UpdateAsync(id, request, context.RequestAborted);
            return outcome.Schedule is { } updated ? TypedResults.Ok(updated) : Failed(outcome);
        }).Requires(Roles.Operator, ProjectFrom.Schedule);
        schedules.MapDelete("/{id}", async (string id, ScheduleCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync(id, ct) ? TypedResults.NoContent() : Failed(ScheduleOutcome.NotFound(id)))
            .Requires(Roles.Operator, ProjectFrom.Schedule);
        schedules.MapPost("/{id}/enable", async (string id, ScheduleCatalog catalog, CancellationToken ct) => Result(await catalog.SetEnabledAsync(id, true, ct)))
            .Requires(Roles.Operator, ProjectFrom.Schedule);
        schedules.MapPost("/{id}/disable", async (string id, ScheduleCatalog catalog, CancellationToken ct) => Result(await catalog.SetEnabledAsync(id, false, ct)))
            .Requires(Roles.Operator, ProjectFrom.Schedule);
        schedules.MapPost("/{id}/run", async (string id, HttpContext context, ScheduleRunner runner) =>
        {
            var run = await runner.RunNowAsync(id, context.User.ActedBy(), context.RequestAborted);
            if (run is null)
                return Failed(ScheduleOutcome.NotFound(id));
            if (run.Run.Status == "failed")
                return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidState, $"The run could not start: {run.Run.Reason}");
            return TypedResults.Created(run.Run.SessionId is { } session ? $"/api/sessions/{session}" : $"/api/schedules/{id}/runs", ScheduleViews.ToDto(run));
        }).Requires(Roles.Operator, ProjectFrom.Schedule);
        schedules.MapGet("/{id}/runs", async (string id, HttpContext context, IScheduleStore store) =>
        {
            if (!QueryParams.TryInt(context.Request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out var limit, out var problem))
                return problem!;
            if (await store.FindAsync(id, context.RequestAborted) is null)
                return Failed(ScheduleOutcome.NotFound(id));
            var page = await store.ListRunsAsync(id, context.Request.Query["cursor"].FirstOrDefault(), limit, context.RequestAborted);
            return TypedResults.Ok(new ListResponse<ScheduleRunDto>(page.Items.Select(ScheduleViews.ToDto).ToList(), page.Next));
        }).Requires(Roles.Viewer, ProjectFrom.Schedule);
        return api;
    }

    private static IResult Result(ScheduleOutcome outcome) => outcome.Schedule is { } schedule ? TypedResults.Ok(schedule) : Failed(outcome);

    private static IResult Failed(ScheduleOutcome outcome) => Problems.Result(
        outcome.Code switch
        {
            ErrorCodes.ScheduleNotFound => StatusCodes.Status404NotFound,
            ErrorCodes.ScheduleExists => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        outcome.Code!, outcome.Message!, outcome.Field);
}
