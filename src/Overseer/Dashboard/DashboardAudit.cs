using Overseer.Contracts.Api;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>The Audit page: who did what, with the filters and visibility of <c>GET /api/audit</c>.</summary>
public static class DashboardAudit
{
    public static RouteGroupBuilder MapAuditPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/audit", async (HttpContext context, IAuditLog audit, ProjectAccess access, DashboardData data, CancellationToken ct) =>
        {
            var (query, problem) = await AuditApi.QueryAsync(context, access);
            var page = query is null ? null : await audit.ListAsync(query, ct);
            var result = DashboardEndpoints.Page<AuditPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(AuditPage.Entries)] = page?.Items ?? [],
                [nameof(AuditPage.Next)] = page?.Next,
                [nameof(AuditPage.Problem)] = problem,
                [nameof(AuditPage.Projects)] = (await data.ProjectsAsync(context.User, ct)).Values
                    .Where(p => query?.VisibleProjects is not { } visible || visible.Contains(p.Id)).ToList(),
                [nameof(AuditPage.Filters)] = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            });
            if (problem is not null)
                result.StatusCode = problem.Status;
            return result;
        }).Requires(Roles.Viewer);
        return pages;
    }
}
