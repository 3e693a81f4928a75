using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Events;
using Overseer.Core.Workspaces;
using Overseer.Dashboard.Components;
using Overseer.Dashboard.Live;
using Overseer.Storage;
using Overseer.Streaming;
using Overseer.Triggers;
using Overseer.Prompts;

namespace Overseer.Dashboard;

/// <summary>The dashboard's pages, its live stream and its static files.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{**path}", (string path, HttpContext context, DashboardAssets assets) => assets.Serve(context, path)).AllowAnonymous().Public();
        app.MapGet("/manifest.webmanifest", (HttpContext context, DashboardAssets assets) => assets.Serve(context, "manifest.webmanifest")).AllowAnonymous().Public();
        // At the root so the worker's scope covers the whole app.
        app.MapGet("/sw.js", (HttpContext context, DashboardAssets assets) => assets.Serve(context, "sw.js")).AllowAnonymous().Public();
        app.MapDashboardLogin();
        SignIn.SignInServiceCollectionExtensions.MapSignIn(app);

        // Every page declares its permission like the API's routes; lists show only the viewer's projects.
        var pages = app.MapGroup("").RequireAuthorization(DashboardServiceCollectionExtensions.Policy).AddEndpointFilter(SecurityHeaders.Filter)
            .WithMetadata(DashboardDenial.Page);
        pages.MapGet("/", BoardAsync).Requires(Roles.Viewer);
        pages.MapGet("/sessions/{id}", SessionAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        pages.MapGet("/sessions/{id}/events", OlderEventsAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        pages.MapChangesPage();
        pages.MapSearchPage();
        pages.MapTemplatePages();
        pages.MapSchedulePages();
        pages.MapBudgetPages();
        pages.MapTriggerPages();
        pages.MapOpsPage();
        pages.MapTokensPage();
        pages.MapAuditPage();
        // "Show all N characters": the whole text as plain text (never as HTML), with the API's access rule.
        pages.MapGet("/sessions/{id}/blobs/{blobId}", Api.SessionsApi.BlobAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        pages.MapGet("/inbox", InboxAsync).Requires(Roles.Viewer);
        pages.MapGet("/projects", ProjectsAsync).Requires(Roles.Viewer);
        pages.MapGet("/stats", StatsAsync).Requires(Roles.Viewer);
        pages.MapUsersPage();
        // Filtered per event to the viewer's projects.
        pages.MapGet("/ui/stream", StreamAsync).Requires(Roles.Viewer);
        // Lets a page whose stream keeps failing ask whether it is still signed in.
        pages.MapGet("/ui/session", () => Results.NoContent()).Requires(Roles.Viewer);
        // An approval card as it stands now (it asks for itself when deny-and-hibernate starts to be offered).
        pages.MapGet("/ui/approvals/{id}", async (string id, bool? showSession, IReadModel readModel, CancellationToken ct) =>
            await readModel.GetApprovalAsync(id, ct) is { } approval
                ? new RazorComponentResult<PendingItem>(new Dictionary<string, object?> { [nameof(PendingItem.Item)] = approval, [nameof(PendingItem.ShowSession)] = showSession == true })
                : (IResult)Results.NotFound()).Requires(Roles.Viewer, ProjectFrom.Approval);
        app.MapGroup("/ui").RequireAuthorization(DashboardServiceCollectionExtensions.Policy).WithMetadata(DashboardDenial.Toast).MapDashboardActions().MapTemplateActions().MapScheduleActions().MapTokenActions().MapBudgetActions()
            .MapTriggerActions().MapPromptActions().MapOpsActions();
        return app;
    }

    private static async Task<IResult> BoardAsync(HttpContext context, DashboardData data, IEventStore store, CancellationToken ct)
    {
        var status = ParseStatus(context.Request.Query["status"].FirstOrDefault());
        var projectId = NullIfEmpty(context.Request.Query["project"].FirstOrDefault());
        var type = ParseType(context.Request.Query["type"].FirstOrDefault());
        var after = store.LastSeq;
        var sessions = await data.SessionsAsync(context.User, status, projectId, type, ct);
        var stream = $"/ui/stream?view=board&after={after}" + (status is { } s ? "&status=" + s.ToWire() : "") + (projectId is null ? "" : "&project=" + Uri.EscapeDataString(projectId))
            + (type is null ? "" : "&type=" + type);
        return Page<BoardPage>(context, stream, await data.InboxCountAsync(context.User, ct), new()
        {
            [nameof(BoardPage.Sessions)] = sessions,
            [nameof(BoardPage.Projects)] = await data.ProjectsAsync(context.User, ct),
            [nameof(BoardPage.Status)] = status?.ToWire(),
            [nameof(BoardPage.ProjectId)] = projectId,
            [nameof(BoardPage.Type)] = type,
        });
    }

    private static async Task<IResult> SessionAsync(string id, HttpContext context, DashboardData data, IEventStore store, CancellationToken ct)
    {
        // The transcript is read first and the state after it, so the state is never older than
        // the last event shown; the stream then continues after that event.
        var events = await store.ReadSessionBeforeAsync(id, long.MaxValue, Transcript.PageSize + 1, ct);
        var hasOlder = events.Count > Transcript.PageSize;
        if (hasOlder)
            events = [.. events.Skip(1)];
        if (await data.ReadModel.GetSessionAsync(id, ct) is not { } session)
            return NotFoundPage(context, $"There is no session '{id}'.");
        var after = events.Count > 0 ? events[^1].Seq : store.LastSeq;
        return Page<SessionPage>(context, $"/ui/stream?view=session&id={Uri.EscapeDataString(id)}&after={after}", await data.InboxCountAsync(context.User, ct), new()
        {
            [nameof(SessionPage.Session)] = session,
            [nameof(SessionPage.Project)] = await data.ReadModel.GetProjectAsync(session.ProjectId, ct),
            [nameof(SessionPage.Events)] = events,
            [nameof(SessionPage.HasOlder)] = hasOlder,
            [nameof(SessionPage.Pending)] = await data.PendingAsync(context.User, id, ct),
            [nameof(SessionPage.BudgetHold)] = await data.BudgetHoldAsync(context.User, session, ct),
        });
    }

    private static async Task<IResult> OlderEventsAsync(string id, HttpContext context, IEventStore store, CancellationToken ct)
    {
        if (!long.TryParse(context.Request.Query["before"].FirstOrDefault(), out var before) || before < 1)
            return Results.BadRequest("Query parameter 'before' must be a positive event seq.");
        var events = await store.ReadSessionBeforeAsync(id, before, Transcript.PageSize + 1, ct);
        var hasOlder = events.Count > Transcript.PageSize;
        return new RazorComponentResult<TranscriptPage>(new Dictionary<string, object?>
        {
            [nameof(TranscriptPage.SessionId)] = id,
            [nameof(TranscriptPage.Events)] = hasOlder ? events.Skip(1).ToList() : events,
            [nameof(TranscriptPage.HasOlder)] = hasOlder,
        });
    }

    private static async Task<IResult> InboxAsync(HttpContext context, DashboardData data, IEventStore store, CancellationToken ct)
    {
        var after = store.LastSeq;
        var items = await data.PendingAsync(context.User, null, ct);
        return Page<InboxPage>(context, $"/ui/stream?view=inbox&after={after}", items.Count, new() { [nameof(InboxPage.Items)] = items });
    }

    private static async Task<IResult> ProjectsAsync(HttpContext context, DashboardData data, IEventStore store, IOptions<ProjectOptions> options, UserAdmin admin, CancellationToken ct)
    {
        var after = store.LastSeq;
        var projects = (await data.ProjectsAsync(context.User, ct)).Values.OrderBy(p => p.CreatedAt).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var project in projects)
            counts[project.Id] = (await data.ReadModel.ListSessionsAsync(new SessionQuery(ProjectId: project.Id, Limit: 1000), ct)).Items.Count;
        var isAdmin = Roles.AtLeast(context.User.Role(), Roles.Admin);
        var members = new Dictionary<string, IReadOnlyList<MemberDto>>(StringComparer.Ordinal);
        if (isAdmin)
        {
            foreach (var project in projects)
                members[project.Id] = await admin.MembersAsync(project.Id, ct);
        }
        return Page<ProjectsPage>(context, $"/ui/stream?view=projects&after={after}", await data.InboxCountAsync(context.User, ct), new()
        {
            [nameof(ProjectsPage.Projects)] = projects,
            [nameof(ProjectsPage.SessionCounts)] = counts,
            // Where projects may live says what is on the server: an admin's concern.
            [nameof(ProjectsPage.AllowedRoots)] = isAdmin ? options.Value.EffectiveRoots() : [],
            [nameof(ProjectsPage.IsAdmin)] = isAdmin,
            [nameof(ProjectsPage.Members)] = members,
            [nameof(ProjectsPage.Users)] = isAdmin ? await admin.ListAsync(ct) : [],
        });
    }

    private static async Task<IResult> StatsAsync(HttpContext context, DashboardData data, IEventStore store, CancellationToken ct)
    {
        var after = store.LastSeq;
        var visible = await data.VisibleAsync(context.User, ct);
        return Page<StatsPage>(context, $"/ui/stream?view=stats&after={after}", await data.InboxCountAsync(context.User, ct), new()
        {
            [nameof(StatsPage.Stats)] = await data.ReadModel.GetUsageStatsAsync(visible, ct),
            [nameof(StatsPage.ByDay)] = await data.ReadModel.GetUsageAsync(UsageGrouping.Day, visible, ct),
            [nameof(StatsPage.ByModel)] = await data.ReadModel.GetUsageAsync(UsageGrouping.Model, visible, ct),
        });
    }

    private static async Task StreamAsync(HttpContext context, DashboardData data, EventStreamReader reader, FragmentRenderer renderer, StreamVisibility visibility)
    {
        var query = context.Request.Query;
        LiveView? view = query["view"].FirstOrDefault() switch
        {
            "board" => new BoardView(data, context.User, ParseStatus(query["status"].FirstOrDefault()), NullIfEmpty(query["project"].FirstOrDefault()), ParseType(query["type"].FirstOrDefault())),
            "session" when NullIfEmpty(query["id"].FirstOrDefault()) is { } id => new SessionView(data, context.User, id),
            "inbox" => new InboxView(data, context.User, "inbox-list", "afterbegin", null),
            "projects" or "stats" or "changes" or "search" or "users" => new BadgeOnlyView(data, context.User),
            "ops" => new OpsLiveView(data, context.User, context.RequestServices.GetRequiredService<OpsData>(), Roles.AtLeast(context.User.Role(), Roles.Operator)),
            _ => null,
        };
        var after = SseEndpoint.ResumePosition(context.Request, 0);
        if (view is null || after is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("view must be board, session (with id), inbox, projects, stats or ops, and after a seq.", context.RequestAborted);
            return;
        }
        await DashboardStream.WriteAsync(context, view, after.Value, reader, renderer, visibility.FilterFor(context.User));
    }

    internal static RazorComponentResult Page<TPage>(HttpContext context, string streamUrl, int inboxCount, Dictionary<string, object?> parameters)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        parameters["StreamUrl"] = streamUrl;
        parameters["Csrf"] = DashboardCsrf.Token(context);
        parameters["InboxCount"] = inboxCount;
        return new RazorComponentResult<TPage>(parameters);
    }

    internal static RazorComponentResult NotFoundPage(HttpContext context, string message) =>
        new RazorComponentResult<NotFoundPage>(new Dictionary<string, object?>
        {
            [nameof(Components.NotFoundPage.Message)] = message,
            [nameof(Components.NotFoundPage.Csrf)] = DashboardCsrf.Token(context),
        }) { StatusCode = StatusCodes.Status404NotFound };

    private static SessionStatus? ParseStatus(string? raw) =>
        SessionStatusNames.Listed.Cast<SessionStatus?>().FirstOrDefault(s => s!.Value.ToWire() == raw);

    /// <summary>A type the board filters by; anything else is no filter (the select offers only the known ones).</summary>
    private static string? ParseType(string? raw) => SessionTasks.IsType(raw) ? raw : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
