using Overseer.Auth;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Core.Workspaces;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>
/// What the dashboard's buttons and forms post (form-encoded, anti-forgery checked). Each calls
/// the same engine method as the JSON API and answers with the changed fragment, or with a
/// message for the page's toast area that says what was wrong.
/// </summary>
public static class DashboardActions
{
    public static RouteGroupBuilder MapDashboardActions(this RouteGroupBuilder ui)
    {
        ui.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            SecurityHeaders.Apply(http.Response);
            if (!await DashboardCsrf.IsValidAsync(http))
                return Toast(http, "This page has expired. Reload it and try again.", StatusCodes.Status400BadRequest);
            return await next(context);
        });

        // Starting needs the operator role in the chosen project: checked globally here, in the project below.
        ui.MapPost("/sessions", async (HttpContext context, SessionManager manager) =>
        {
            var form = await FormAsync(context);
            if (!TryMoney(Field(form, "budgetUsd"), out var budget))
                return Toast(context, "The budget is an amount in US dollars, such as 5 or 2.50, or empty for none.", StatusCodes.Status400BadRequest);
            // "Save as draft" stores it to edit and start later; "Start session" starts it now.
            var request = new CreateSessionRequest(Field(form, "projectId"), Field(form, "prompt"), Field(form, "runtime"), Field(form, "model"), null, null, Field(form, "isolation"),
                Title: Field(form, "title"), Description: Field(form, "description"), Type: Field(form, "type"), Draft: Field(form, "draft") == "true" ? true : null,
                BudgetUsd: budget);
            if (await Visibility.CheckProjectAsync(context, request.ProjectId, Roles.Operator) is { } refused)
                return Toast(context, refused.Status == StatusCodes.Status403Forbidden ? refused.Message : PlainErrors.Of(refused.Code, refused.Field, refused.Message), refused.Status);
            var result = await manager.CreateAsync(request, context.User.ActedBy(), context.RequestAborted);
            if (result.SessionId is null)
                return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Error ?? "The session could not be created."), StatusCodes.Status400BadRequest);
            context.Response.Headers["HX-Redirect"] = "/sessions/" + result.SessionId;
            return Results.NoContent();
        }).Requires(Roles.Operator);
        ui.MapSessionTaskActions();
        // A retry starts a new session in the failed one's project, so it needs what starting one there needs.
        ui.MapPost("/sessions/{id}/retry", RetryAsync).Requires(Roles.Operator, ProjectFrom.Session);
        ui.MapPost("/sessions/{id}/message", async (string id, HttpContext context, SessionManager manager) =>
            Done(context, await manager.SendMessageAsync(id, Field(await FormAsync(context), "text"), context.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        // Slim hosting has no regex route constraint: one route per command.
        foreach (var command in (string[])["interrupt", "pause", "resume", "cancel", "close", "hibernate"])
        {
            ui.MapPost("/sessions/{id}/" + command, async (string id, HttpContext context, SessionManager manager, Core.Retries.RetryRunner retries) =>
            {
                var by = context.User.ActedBy();
                var result = command switch
                {
                    "interrupt" => await manager.InterruptAsync(id, by),
                    "pause" => await manager.PauseAsync(id, by),
                    "resume" => await manager.ResumeAsync(id, by),
                    "cancel" => await Core.Retries.SessionCancel.CancelAsync(manager, retries, id, by, context.RequestAborted),
                    "hibernate" => await manager.HibernateAsync(id, by),
                    _ => await manager.CloseAsync(id, by),
                };
                return Done(context, result);
            }).Requires(Roles.Operator, ProjectFrom.Session);
        }

        ui.MapPost("/approvals/{id}/approve", async (string id, HttpContext context, SessionManager manager, IReadModel readModel, ApprovalRights rights) =>
        {
            var form = await FormAsync(context);
            if (await rights.RefusalAsync(context.User, id, context.RequestAborted) is { } refusal)
                return Toast(context, refusal, StatusCodes.Status403Forbidden);
            var result = await manager.ApproveAsync(id, Field(form, "confirm"), Field(form, "remember"), context.User.ActedBy(), context.RequestAborted);
            if (result.Code == ErrorCodes.ConfirmationRequired && await readModel.GetApprovalAsync(id, context.RequestAborted) is { ConfirmPhrase: { } phrase })
                return Toast(context, $"Type {phrase} exactly, as shown, to approve this RED action.", StatusCodes.Status400BadRequest);
            return await ItemAsync(context, result, async () => await readModel.GetApprovalAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator, ProjectFrom.Approval);
        ui.MapPost("/approvals/{id}/deny", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var form = await FormAsync(context);
            var hibernate = context.Request.Query["hibernate"] == "true";
            var result = await manager.DenyAsync(id, Field(form, "reason"), context.User.ActedBy(), context.RequestAborted, hibernate);
            return await ItemAsync(context, result, async () => await readModel.GetApprovalAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator, ProjectFrom.Approval);
        ui.MapPost("/questions/{id}/answer", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var form = await FormAsync(context);
            if (await readModel.GetQuestionAsync(id, context.RequestAborted) is not { } question)
                return Toast(context, $"No question has id '{id}'.", StatusCodes.Status404NotFound);
            var result = await manager.AnswerQuestionAsync(id, QuestionForm.Answers(question, form), context.User.ActedBy(), context.RequestAborted);
            return await ItemAsync(context, result, async () => await readModel.GetQuestionAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator, ProjectFrom.Question);
        ui.MapPost("/dependencies/{id}/provide", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var form = await FormAsync(context);
            var result = await manager.ProvideDependencyAsync(id, Field(form, "value"), null, context.User.ActedBy(), context.RequestAborted);
            return await ItemAsync(context, result, async () => await readModel.GetDependencyAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator, ProjectFrom.Dependency);
        foreach (var decision in (string[])["approve", "request-changes"])
        {
            ui.MapPost("/reviews/{id}/" + decision, async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
            {
                var form = await FormAsync(context);
                var result = await manager.DecideReviewAsync(id, decision == "approve", Field(form, "feedback"), context.User.ActedBy(), context.RequestAborted);
                return await ItemAsync(context, result, async () => await readModel.GetReviewAsync(id, context.RequestAborted));
            }).Requires(Roles.Operator, ProjectFrom.Review);
        }

        ui.MapPost("/projects", async (HttpContext context, ProjectRegistry registry, IOptions<ProjectOptions> options) =>
        {
            var form = await FormAsync(context);
            var path = PlainErrors.ExpandHome(Field(form, "path"));
            var result = await registry.CreateAsync(path, Field(form, "name"), context.User.Name(), context.RequestAborted);
            if (result.Project is null)
            {
                // What is at a server path is the admins' to know: others get the plain message (only admins may add projects anyway).
                var message = result.Code == ErrorCodes.InvalidPath && Roles.AtLeast(context.User.Role(), Roles.Admin)
                    ? PlainErrors.ProjectPath(path, options.Value.EffectiveRoots())
                    : PlainErrors.Of(result.Code, result.Field, result.Error ?? "The project could not be added.");
                return Toast(context, message, StatusCodes.Status400BadRequest);
            }
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Admin);
        ui.MapPost("/projects/{id}/delete", async (string id, HttpContext context, ProjectRegistry registry) =>
        {
            var result = await registry.DeleteAsync(id, context.User.Name(), context.RequestAborted);
            if (result.Code is not null)
                return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Error ?? "The project could not be removed."), StatusCodes.Status409Conflict);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Admin);
        ui.MapMemberActions();
        ui.MapUserActions();
        ui.MapChangesActions();
        return ui;
    }

    /// <summary>
    /// A failed session started again: the same prompt, title, description, type, project,
    /// isolation and (on the same runtime) script and model, on the runtime the form picked; the
    /// page goes to the new one.
    /// </summary>
    private static async Task<IResult> RetryAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel, IEventStore store)
    {
        var ct = context.RequestAborted;
        var form = await FormAsync(context);
        if (await readModel.GetSessionAsync(id, ct) is not { } session)
            return Toast(context, PlainErrors.Of(ErrorCodes.SessionNotFound, null, null), StatusCodes.Status404NotFound);
        var runtime = Field(form, "runtime") ?? session.Runtime;
        var sameRuntime = runtime == session.Runtime;
        var created = (await store.ReadSessionAsync(id, 0, 1, ct)).FirstOrDefault(e => e.Type == EventTypes.SessionCreated);
        var script = sameRuntime ? created?.Data.Deserialize(Contracts.OverseerJson.Default.SessionCreatedData)?.Script : null;
        var request = new CreateSessionRequest(session.ProjectId, session.Prompt, runtime, sameRuntime ? session.Model : null, session.Priority, script,
            session.Worktree is null ? null : "worktree", Title: session.Title, Description: session.Description, Type: session.Type);
        var result = await manager.CreateAsync(request, context.User.ActedBy(), ct);
        if (result.SessionId is null)
            return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Error), StatusCodes.Status400BadRequest);
        context.Response.Headers["HX-Redirect"] = "/sessions/" + result.SessionId;
        return Results.NoContent();
    }

    internal static async Task<IFormCollection> FormAsync(HttpContext context) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;

    internal static string? Field(IFormCollection form, string name) => form[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

    /// <summary>A dollar amount as a form gives it (empty is none); false when it is not a number.</summary>
    internal static bool TryMoney(string? text, out decimal? amount)
    {
        amount = null;
        if (text is null)
            return true;
        if (!decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            return false;
        amount = parsed;
        return true;
    }

    private static IResult Done(HttpContext context, CommandResult result) =>
        result.Succeeded ? Results.NoContent() : Toast(context, PlainErrors.Of(result.Code, result.Field, result.Message), Problems.StatusOf(result));

    private static async Task<IResult> ItemAsync(HttpContext context, CommandResult result, Func<Task<object?>> reload)
    {
        if (!result.Succeeded)
            return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Message), Problems.StatusOf(result));
        return await reload() is { } item
            ? new RazorComponentResult<PendingItem>(new Dictionary<string, object?> { [nameof(PendingItem.Item)] = item })
            : Results.NoContent();
    }

    /// <summary>An error message for the toast area: the page's glue swaps error responses there.</summary>
    internal static IResult Toast(HttpContext context, string message, int status)
    {
        context.Response.Headers["HX-Retarget"] = "#toasts";
        context.Response.Headers["HX-Reswap"] = "beforeend";
        return new RazorComponentResult<Toast>(new Dictionary<string, object?> { [nameof(Components.Toast.Message)] = message }) { StatusCode = status };
    }
}
