using Overseer.Auth;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>The search results page the header's search box opens: the same search as <c>GET /api/search</c>.</summary>
public static class DashboardSearch
{
    public static RouteGroupBuilder MapSearchPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/search", async (HttpContext context, DashboardData data, ISessionSearch search, IEventStore store, CancellationToken ct) =>
        {
            var q = context.Request.Query["q"].FirstOrDefault()?.Trim() ?? "";
            SearchResponse? result = null;
            ApiProblem? problem = null;
            // An empty box opens the page to type into; anything else is searched, or answered with why not.
            if (q.Length > 0)
                (result, problem) = await SearchApi.SearchAsync(q, SearchLimits.DefaultResults * 2, search, data.ReadModel, await data.VisibleAsync(context.User, ct), ct);
            var page = DashboardEndpoints.Page<SearchPage>(context, $"/ui/stream?view=search&after={store.LastSeq}", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(SearchPage.Query)] = q,
                [nameof(SearchPage.Result)] = result,
                [nameof(SearchPage.Problem)] = problem,
            });
            if (problem is not null)
                page.StatusCode = problem.Status;
            return page;
        }).Requires(Roles.Viewer);
        return pages;
    }
}
