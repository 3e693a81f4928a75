using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>The Users page (owners) and the project page's Members section (admins): the same <see cref="UserAdmin"/> as the API.</summary>
internal static class DashboardUsers
{
    public static RouteGroupBuilder MapUsersPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/users", async (HttpContext context, DashboardData data, UserAdmin admin, IEventStore store, CancellationToken ct) =>
            DashboardEndpoints.Page<UsersPage>(context, $"/ui/stream?view=users&after={store.LastSeq}", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(UsersPage.Users)] = await admin.ListAsync(ct),
                [nameof(UsersPage.Self)] = context.User.UserId(),
            })).Requires(Roles.Owner);
        return pages;
    }

    /// <summary>Inside the <c>/ui</c> group (anti-forgery checked first). Success reloads the page; a refusal is a toast.</summary>
    public static RouteGroupBuilder MapUserActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/users", async (HttpContext context, UserAdmin admin) =>
        {
            var form = await DashboardActions.FormAsync(context);
            var (_, refused) = await admin.AddAsync(DashboardActions.Field(form, "name"), DashboardActions.Field(form, "role"), DashboardActions.Field(form, "password"), context.RequestAborted);
            return Outcome(context, refused);
        }).Requires(Roles.Owner);
        ui.MapPost("/users/{id}/role", async (string id, HttpContext context, UserAdmin admin) =>
        {
            var form = await DashboardActions.FormAsync(context);
            var (_, refused) = await admin.UpdateAsync(id, DashboardActions.Field(form, "role"), null, context.RequestAborted);
            return Outcome(context, refused);
        }).Requires(Roles.Owner);
        ui.MapPost("/users/{id}/delete", async (string id, HttpContext context, UserAdmin admin) =>
            Outcome(context, await admin.RemoveAsync(id, context.RequestAborted))).Requires(Roles.Owner);
        return ui;
    }

    public static RouteGroupBuilder MapMemberActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/projects/{id}/members", async (string id, HttpContext context, UserAdmin admin) =>
        {
            var form = await DashboardActions.FormAsync(context);
            var (_, refused) = await admin.SetMemberAsync(id, DashboardActions.Field(form, "user") ?? "", DashboardActions.Field(form, "role"), context.RequestAborted);
            return Outcome(context, refused);
        }).Requires(Roles.Admin, ProjectFrom.Project);
        ui.MapPost("/projects/{id}/members/{userId}/delete", async (string id, string userId, HttpContext context, UserAdmin admin) =>
            Outcome(context, await admin.RemoveMemberAsync(id, userId, context.RequestAborted))).Requires(Roles.Admin, ProjectFrom.Project);
        return ui;
    }

    private static IResult Outcome(HttpContext context, ApiProblem? refused)
    {
        if (refused is not null)
            return DashboardActions.Toast(context, refused.Message, refused.Status);
        context.Response.Headers["HX-Refresh"] = "true";
        return Results.NoContent();
    }
}
