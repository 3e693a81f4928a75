using System.Globalization;
using System.Text.Json;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Templates;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard;

/// <summary>
/// Templates in the dashboard: the list with a form for a new one, and a template's page with a
/// run form made from its parameters' schema. The actions call the same catalog as the API.
/// </summary>
public static class DashboardTemplates
{
    /// <summary>Form fields that carry a parameter are named with this prefix (the rest are the run's own fields).</summary>
    public const string ParameterPrefix = "param.";

    public static RouteGroupBuilder MapTemplatePages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/templates", async (HttpContext context, DashboardData data, TemplateCatalog catalog, CancellationToken ct) =>
            DashboardEndpoints.Page<TemplatesPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(TemplatesPage.Templates)] = await catalog.ListAsync(null, ct),
            })).Requires(Roles.Viewer);
        pages.MapGet("/templates/{id}", async (string id, HttpContext context, DashboardData data, TemplateCatalog catalog, CancellationToken ct) =>
        {
            if (await catalog.FindAsync(id, ct) is not { } template)
                return DashboardEndpoints.NotFoundPage(context, $"There is no template {id}.");
            return DashboardEndpoints.Page<TemplatePage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(TemplatePage.Template)] = template,
                [nameof(TemplatePage.Projects)] = await data.ProjectsAsync(context.User, ct),
            });
        }).Requires(Roles.Viewer);
        return pages;
    }

    public static RouteGroupBuilder MapTemplateActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/templates", async (HttpContext context, TemplateCatalog catalog) =>
        {
            var form = await DashboardActions.FormAsync(context);
            JsonElement? schema = null;
            if (DashboardActions.Field(form, "parametersSchema") is { } schemaText)
            {
                try
                {
                    schema = JsonDocument.Parse(schemaText).RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    return DashboardActions.Toast(context, $"The parameters' schema is not JSON: {ex.Message}", StatusCodes.Status400BadRequest);
                }
            }
            var request = new SaveTemplateRequest(DashboardActions.Field(form, "name"), DashboardActions.Field(form, "description"),
                DashboardActions.Field(form, "category"), DashboardActions.Field(form, "prompt"), schema,
                new TemplateDefaultsDto(DashboardActions.Field(form, "runtime"), DashboardActions.Field(form, "model"), DashboardActions.Field(form, "isolation")));
            var outcome = await catalog.CreateAsync(request, context.User.Name(), context.RequestAborted);
            if (outcome.Template is not { } created)
                return DashboardActions.Toast(context, PlainErrors.Of(outcome.Code, outcome.Field, outcome.Message), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/templates/" + created.Id;
            return Results.NoContent();
        }).Requires(Roles.Operator);
        ui.MapPost("/templates/{id}/copy", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var outcome = await catalog.CopyAsync(id, null, context.User.Name(), context.RequestAborted);
            if (outcome.Template is not { } copy)
                return DashboardActions.Toast(context, PlainErrors.Of(outcome.Code, outcome.Field, outcome.Message), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/templates/" + copy.Id;
            return Results.NoContent();
        }).Requires(Roles.Operator);
        ui.MapPost("/templates/{id}/delete", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var outcome = await catalog.DeleteAsync(id, context.RequestAborted);
            if (outcome.Code is not null)
                return DashboardActions.Toast(context, PlainErrors.Of(outcome.Code, outcome.Field, outcome.Message), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/templates";
            return Results.NoContent();
        }).Requires(Roles.Admin);
        ui.MapPost("/templates/{id}/run", async (string id, HttpContext context, TemplateCatalog catalog) =>
        {
            var template = await catalog.FindAsync(id, context.RequestAborted);
            if (template is null)
                return DashboardActions.Toast(context, "That template no longer exists. Reload the page.", StatusCodes.Status404NotFound);
            var form = await DashboardActions.FormAsync(context);
            var (parameters, problem) = ParametersFrom(form, template);
            if (problem is not null)
                return DashboardActions.Toast(context, problem, StatusCodes.Status400BadRequest);
            if (!DashboardActions.TryMoney(DashboardActions.Field(form, "budgetUsd"), out var budget))
                return DashboardActions.Toast(context, "The budget is an amount in US dollars, such as 5 or 2.50, or empty for none.", StatusCodes.Status400BadRequest);
            var request = new RunTemplateRequest(DashboardActions.Field(form, "projectId"), parameters, DashboardActions.Field(form, "runtime"),
                DashboardActions.Field(form, "model"), DashboardActions.Field(form, "isolation"), BudgetUsd: budget);
            if (await Visibility.CheckProjectAsync(context, request.ProjectId, Roles.Operator) is { } refused)
                return DashboardActions.Toast(context, refused.Status == StatusCodes.Status403Forbidden ? refused.Message : PlainErrors.Of(refused.Code, refused.Field, refused.Message), refused.Status);
            var (created, failure) = await catalog.RunAsync(id, request, context.User.ActedBy(), context.RequestAborted);
            if (failure is not null)
                return DashboardActions.Toast(context, PlainErrors.Of(failure.Code, failure.Field, failure.Message), StatusCodes.Status400BadRequest);
            if (created!.SessionId is null)
                return DashboardActions.Toast(context, PlainErrors.Of(created.Code, created.Field, created.Error), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/sessions/" + created.SessionId;
            return Results.NoContent();
        }).Requires(Roles.Operator);
        return ui;
    }

    /// <summary>
    /// The run form's parameter fields as JSON values, typed by the schema: numbers and integers
    /// parsed, a checkbox true when ticked, arrays and objects as JSON; an empty optional field is
    /// left out so the schema's default applies.
    /// </summary>
    internal static (Dictionary<string, JsonElement> Values, string? Problem) ParametersFrom(IFormCollection form, TemplateDto template)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in TemplateFields.Of(template))
        {
            var text = form[ParameterPrefix + field.Name].FirstOrDefault();
            switch (field.Kind)
            {
                case TemplateFields.FieldKind.Boolean:
                    values[field.Name] = JsonSerializer.SerializeToElement(text is "on" or "true", OverseerJson.Default.Boolean);
                    break;
                case TemplateFields.FieldKind.Number or TemplateFields.FieldKind.Integer when !string.IsNullOrWhiteSpace(text):
                    if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                        return (values, $"{field.Label} must be a number.");
                    values[field.Name] = JsonSerializer.SerializeToElement(number, OverseerJson.Default.Decimal);
                    break;
                case TemplateFields.FieldKind.Json when !string.IsNullOrWhiteSpace(text):
                    try
                    {
                        values[field.Name] = JsonDocument.Parse(text).RootElement.Clone();
                    }
                    catch (JsonException)
                    {
                        return (values, $"{field.Label} must be JSON.");
                    }
                    break;
                case TemplateFields.FieldKind.Text or TemplateFields.FieldKind.Choice when !string.IsNullOrEmpty(text):
                    values[field.Name] = JsonSerializer.SerializeToElement(text, OverseerJson.Default.String);
                    break;
            }
        }
        return (values, null);
    }
}
