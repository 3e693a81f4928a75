using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Schedules;
using Overseer.Core.Templates;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard;

/// <summary>
/// Schedules in the dashboard: the list with a form for a new one (its parameters made from the
/// chosen template's schema, its next fire times shown as the cron is typed), and a schedule's page
/// with its runs. The actions call the same catalog and runner as the API.
/// </summary>
public static class DashboardSchedules
{
    public static RouteGroupBuilder MapSchedulePages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/schedules", async (HttpContext context, DashboardData data, ScheduleCatalog schedules, TemplateCatalog templates, CancellationToken ct) =>
            DashboardEndpoints.Page<SchedulesPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(SchedulesPage.Schedules)] = await schedules.ListAsync(await data.VisibleAsync(context.User, ct), ct),
                [nameof(SchedulesPage.Projects)] = await data.ProjectsAsync(context.User, ct),
                [nameof(SchedulesPage.Templates)] = await templates.ListAsync(null, ct),
                [nameof(SchedulesPage.Preview)] = schedules.Preview("0 3 * * *", "UTC").Preview,
            })).Requires(Roles.Viewer);
        pages.MapGet("/schedules/{id}", async (string id, HttpContext context, DashboardData data, ScheduleCatalog schedules, TemplateCatalog templates, CancellationToken ct) =>
        {
            if (await schedules.FindAsync(id, ct) is not { } schedule)
                return DashboardEndpoints.NotFoundPage(context, $"No schedule has id '{id}'.");
            return DashboardEndpoints.Page<SchedulePage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(SchedulePage.Schedule)] = schedule,
                [nameof(SchedulePage.Template)] = await templates.FindAsync(schedule.TemplateId, ct),
                [nameof(SchedulePage.Project)] = await data.ReadModel.GetProjectAsync(schedule.ProjectId, ct),
                [nameof(SchedulePage.Preview)] = schedules.Preview(schedule.Cron, schedule.TimeZone).Preview,
                [nameof(SchedulePage.Runs)] = await schedules.RunsAsync(id, null, 100, ct),
            });
        }).Requires(Roles.Viewer, ProjectFrom.Schedule);
        // The new-schedule form's fragments: a template's parameter inputs, and the next fire times.
        pages.MapGet("/ui/schedules/fields", async (HttpContext context, TemplateCatalog templates, CancellationToken ct) =>
            await templates.FindAsync(context.Request.Query["templateId"].FirstOrDefault() ?? "", ct) is { } template
                ? new RazorComponentResult<TemplateParameterFields>(new Dictionary<string, object?> { [nameof(TemplateParameterFields.Template)] = template })
                : (IResult)Results.NoContent()).Requires(Roles.Viewer);
        pages.MapGet("/ui/schedules/preview", (HttpContext context, ScheduleCatalog schedules) =>
        {
            var (preview, problem) = schedules.Preview(context.Request.Query["cron"].FirstOrDefault(), context.Request.Query["timeZone"].FirstOrDefault());
            return new RazorComponentResult<CronPreview>(new Dictionary<string, object?>
            {
                [nameof(CronPreview.Preview)] = preview,
                [nameof(CronPreview.Problem)] = problem?.Message,
                [nameof(CronPreview.Field)] = problem?.Field,
            });
        }).Requires(Roles.Viewer);
        return pages;
    }

    public static RouteGroupBuilder MapScheduleActions(this RouteGroupBuilder ui)
    {
        // Creating needs the operator role in the chosen project: checked globally here, in the project below.
        ui.MapPost("/schedules", async (HttpContext context, ScheduleCatalog schedules, TemplateCatalog templates) =>
        {
            var form = await DashboardActions.FormAsync(context);
            var template = await templates.FindAsync(DashboardActions.Field(form, "templateId") ?? "", context.RequestAborted);
            if (template is null)
                return DashboardActions.Toast(context, "Choose a template.", StatusCodes.Status400BadRequest);
            var (parameters, problem) = DashboardTemplates.ParametersFrom(form, template);
            if (problem is not null)
                return DashboardActions.Toast(context, problem, StatusCodes.Status400BadRequest);
            var (retry, retryProblem) = RetryFrom(form);
            if (retryProblem is not null)
                return DashboardActions.Toast(context, retryProblem, StatusCodes.Status400BadRequest);
            var request = new SaveScheduleRequest(DashboardActions.Field(form, "name"), DashboardActions.Field(form, "projectId"), template.Id, parameters,
                DashboardActions.Field(form, "cron"), DashboardActions.Field(form, "timeZone"), true, DashboardActions.Field(form, "missedPolicy"),
                DashboardActions.Field(form, "overlapPolicy"), retry, DashboardActions.Field(form, "runtime"), DashboardActions.Field(form, "model"));
            if (await Visibility.CheckProjectAsync(context, request.ProjectId, Roles.Operator) is { } refused)
                return DashboardActions.Toast(context, refused.Status == StatusCodes.Status403Forbidden ? refused.Message : PlainErrors.Of(refused.Code, refused.Field, refused.Message), refused.Status);
            var outcome = await schedules.CreateAsync(request, context.User.ActedBy(), context.RequestAborted);
            if (outcome.Schedule is not { } created)
                return DashboardActions.Toast(context, PlainErrors.Of(outcome.Code, outcome.Field, outcome.Message), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/schedules/" + created.Id;
            return Results.NoContent();
        }).Requires(Roles.Operator);
        foreach (var enable in (bool[])[true, false])
        {
            ui.MapPost("/schedules/{id}/" + (enable ? "enable" : "disable"), async (string id, HttpContext context, ScheduleCatalog schedules) =>
                Reload(context, id, await schedules.SetEnabledAsync(id, enable, context.RequestAborted))).Requires(Roles.Operator, ProjectFrom.Schedule);
        }
        ui.MapPost("/schedules/{id}/run", async (string id, HttpContext context, ScheduleRunner runner) =>
        {
            var run = await runner.RunNowAsync(id, context.User.ActedBy(), context.RequestAborted);
            if (run is null)
                return DashboardActions.Toast(context, "That schedule no longer exists.", StatusCodes.Status404NotFound);
            if (run.Run.Status == "failed")
                return DashboardActions.Toast(context, $"The run could not start: {run.Run.Reason}", StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/schedules/" + id;
            return Results.NoContent();
        }).Requires(Roles.Operator, ProjectFrom.Schedule);
        ui.MapPost("/schedules/{id}/delete", async (string id, HttpContext context, ScheduleCatalog schedules) =>
        {
            await schedules.DeleteAsync(id, context.RequestAborted);
            context.Response.Headers["HX-Redirect"] = "/schedules";
            return Results.NoContent();
        }).Requires(Roles.Operator, ProjectFrom.Schedule);
        return ui;
    }

    private static IResult Reload(HttpContext context, string id, ScheduleOutcome outcome)
    {
        if (outcome.Schedule is null)
            return DashboardActions.Toast(context, PlainErrors.Of(outcome.Code, outcome.Field, outcome.Message), StatusCodes.Status400BadRequest);
        context.Response.Headers["HX-Redirect"] = "/schedules/" + id;
        return Results.NoContent();
    }

    /// <summary>The form's retry policy: none without a number of attempts above one.</summary>
    private static (RetryPolicyDto? Policy, string? Problem) RetryFrom(IFormCollection form)
    {
        if (DashboardActions.Field(form, "retryMaxAttempts") is not { } attemptsText)
            return (null, null);
        if (!int.TryParse(attemptsText, NumberStyles.None, CultureInfo.InvariantCulture, out var attempts))
            return (null, "Attempts must be a whole number.");
        if (attempts <= 1)
            return (null, null);
        var delay = new RetryPolicyDto(attempts).InitialDelaySeconds;
        if (DashboardActions.Field(form, "retryDelaySeconds") is { } delayText && !int.TryParse(delayText, NumberStyles.None, CultureInfo.InvariantCulture, out delay))
            return (null, "The first retry's delay must be a whole number of seconds.");
        return (new RetryPolicyDto(attempts, delay, Math.Max(delay, new RetryPolicyDto(attempts).MaxDelaySeconds)), null);
    }
}
