using System.Globalization;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>
/// <c>GET /api/audit</c>: who did what, newest first, with <c>?user=&amp;project=&amp;session=&amp;action=&amp;since=&amp;until=&amp;cursor=&amp;limit=</c>.
/// Owners and admins see everything; others see the projects they can see, and their own rows.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (HttpContext context, IAuditLog audit, ProjectAccess access) =>
        {
            if (!Roles.AtLeast(context.User.Role(), Roles.Viewer))
                return Problems.Result(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Reading the audit trail needs at least the viewer role.");
            var (query, problem) = await QueryAsync(context, access);
            if (problem is not null)
                return problem.ToResult();
            var page = await audit.ListAsync(query!, context.RequestAborted);
            return TypedResults.Ok(new ListResponse<AuditEntryDto>(page.Items, page.Next));
        }).Requires(Roles.Viewer);
        return api;
    }

    /// <summary>The filters of the audit list, limited to what the caller may see; a problem naming a bad parameter.</summary>
    public static async Task<(AuditQuery? Query, ApiProblem? Problem)> QueryAsync(HttpContext context, ProjectAccess access)
    {
        var request = context.Request;
        var limitText = request.Query["limit"].FirstOrDefault();
        var limit = ListLimits.DefaultPageSize;
        if (!string.IsNullOrEmpty(limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ListLimits.MaxPageSize))
            return (null, Invalid($"Query parameter 'limit' must be a whole number from 1 to {ListLimits.MaxPageSize}.", "limit"));
        DateTimeOffset? since = null, until = null;
        foreach (var name in (string[])["since", "until"])
        {
            var raw = request.Query[name].FirstOrDefault();
            if (string.IsNullOrEmpty(raw))
                continue;
            if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return (null, Invalid($"Query parameter '{name}' must be a date and time (ISO 8601, e.g. 2026-11-30T09:00:00Z).", name));
            if (name == "since")
                since = at;
            else
                until = at;
        }
        var cursor = request.Query["cursor"].FirstOrDefault();
        if (!string.IsNullOrEmpty(cursor) && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return (null, Invalid("Query parameter 'cursor' must be the 'next' of a previous page.", "cursor"));
        var visible = await access.VisibleProjectsAsync(context.User, context.RequestAborted);
        return (new AuditQuery(
            User: Text(request, "user"),
            ProjectId: Text(request, "project"),
            SessionId: Text(request, "session"),
            Action: Text(request, "action"),
            Since: since,
            Until: until,
            VisibleProjects: visible,
            ViewerUserId: context.User.UserId(),
            Cursor: string.IsNullOrEmpty(cursor) ? null : cursor,
            Limit: limit), null);
    }

    private static ApiProblem Invalid(string message, string field) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, message, field);

    private static string? Text(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { Length: > 0 } value ? value.Trim() : null;
}
