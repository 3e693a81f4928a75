using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Dashboard;
using Overseer.Dashboard.Components;

namespace Overseer.Triggers;

/// <summary>
/// The dashboard's Triggers pages: the list with a form for a new trigger (one rule from fields,
/// or several as JSON), a trigger's page with its deliveries, and its actions. The same catalog
/// and rules as <c>/api/triggers</c>.
/// </summary>
internal static class TriggersDashboard
{
    public static IReadOnlyList<string> EventFields => PayloadExpression.EventFields;

    public static RouteGroupBuilder MapTriggerPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/triggers", async (HttpContext context, DashboardData data, TriggerCatalog catalog, TemplateCatalog templates, SessionManager sessions, CancellationToken ct) =>
            DashboardEndpoints.Page<TriggersPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(TriggersPage.Triggers)] = await catalog.ListAsync(context.User, ct),
                [nameof(TriggersPage.Projects)] = await data.ProjectsAsync(context.User, ct),
                [nameof(TriggersPage.Templates)] = await templates.ListAsync(null, ct),
                [nameof(TriggersPage.Runtimes)] = sessions.Runtimes.Select(r => r.Name).Order().ToList(),
            })).Requires(Roles.Admin);
        pages.MapGet("/triggers/{id}", async (string id, HttpContext context, DashboardData data, TriggerCatalog catalog, TemplateCatalog templates, CancellationToken ct) =>
        {
            var (trigger, refused) = await catalog.FindAsync(context.User, id, ct);
            if (trigger is null)
                return (IResult)DashboardEndpoints.NotFoundPage(context, refused!.Message);
            var (deliveries, _) = await catalog.DeliveriesAsync(context.User, id, ListLimits.MaxPageSize, ct);
            return DashboardEndpoints.Page<TriggerPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(TriggerPage.Trigger)] = catalog.ToDto(trigger),
                [nameof(TriggerPage.Project)] = await data.ReadModel.GetProjectAsync(trigger.ProjectId, ct),
                [nameof(TriggerPage.Deliveries)] = deliveries ?? [],
                [nameof(TriggerPage.Templates)] = await templates.ListAsync(null, ct),
            });
        }).Requires(Roles.Admin);
        return pages;
    }

    public static RouteGroupBuilder MapTriggerActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/triggers", async (HttpContext context, TriggerCatalog catalog) =>
        {
            var form = await DashboardActions.FormAsync(context);
            var (request, problem) = RequestFrom(form);
            if (problem is not null)
                return DashboardActions.Toast(context, problem, StatusCodes.Status400BadRequest);
            var (created, refused) = await catalog.CreateAsync(context.User, request!, context.RequestAborted);
            if (created is null)
                return DashboardActions.Toast(context, refused!.Message, refused.Status);
            return new RazorComponentResult<TriggerCreated>(new Dictionary<string, object?> { [nameof(TriggerCreated.Created)] = created });
        }).Requires(Roles.Admin);
        ui.MapPost("/triggers/{id}/secret", async (string id, HttpContext context, TriggerCatalog catalog) =>
        {
            var (created, refused) = await catalog.RotateSecretAsync(context.User, id, context.RequestAborted);
            return created is null
                ? DashboardActions.Toast(context, refused!.Message, refused.Status)
                : new RazorComponentResult<TriggerCreated>(new Dictionary<string, object?> { [nameof(TriggerCreated.Created)] = created });
        }).Requires(Roles.Admin);
        ui.MapPost("/triggers/{id}/enabled", async (string id, HttpContext context, TriggerCatalog catalog) =>
        {
            var enabled = DashboardActions.Field(await DashboardActions.FormAsync(context), "enabled") == "true";
            var (_, refused) = await catalog.UpdateAsync(context.User, id, new UpdateTriggerRequest(Enabled: enabled), context.RequestAborted);
            if (refused is not null)
                return DashboardActions.Toast(context, refused.Message, refused.Status);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Admin);
        ui.MapPost("/triggers/{id}/delete", async (string id, HttpContext context, TriggerCatalog catalog) =>
        {
            if (await catalog.DeleteAsync(context.User, id, context.RequestAborted) is { } refused)
                return DashboardActions.Toast(context, refused.Message, refused.Status);
            context.Response.Headers["HX-Redirect"] = "/triggers";
            return Results.NoContent();
        }).Requires(Roles.Admin);
        return ui;
    }

    /// <summary>The create form as the API's request: one rule from its fields, or the rules JSON when given; parameters as <c>name = expression</c> lines.</summary>
    internal static (CreateTriggerRequest? Request, string? Problem) RequestFrom(IFormCollection form)
    {
        List<TriggerRuleDto> rules;
        if (DashboardActions.Field(form, "rules") is { } json)
        {
            try
            {
                rules = JsonSerializer.Deserialize(json, TriggerJson.Default.ListTriggerRuleDto) ?? [];
            }
            catch (JsonException ex)
            {
                return (null, $"The rules are not JSON: {ex.Message}");
            }
        }
        else
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in (DashboardActions.Field(form, "parameters") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var at = line.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                    return (null, $"Parameters: '{line}' is not name = expression.");
                parameters[line[..at].Trim()] = line[(at + 1)..].Trim();
            }
            rules = [new TriggerRuleDto(DashboardActions.Field(form, "event"), DashboardActions.Field(form, "templateId"), parameters,
                DashboardActions.Field(form, "label"), DashboardActions.Field(form, "command"), DashboardActions.Field(form, "runtime"), DashboardActions.Field(form, "isolation"))];
        }
        var postback = new TriggerPostbackDto(DashboardActions.Field(form, "comment") == "true", DashboardActions.Field(form, "apiBaseUrl"), DashboardActions.Field(form, "tokenSecret"));
        return (new CreateTriggerRequest(DashboardActions.Field(form, "name"), DashboardActions.Field(form, "provider"), DashboardActions.Field(form, "projectId"), rules, postback), null);
    }
}
