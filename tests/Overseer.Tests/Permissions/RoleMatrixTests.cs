using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Tests.Dashboard;

namespace Overseer.Tests.Permissions;

/// <summary>
/// The role matrix: every endpoint in the routing table (API, SSE streams, dashboard pages and
/// actions) × owner, admin, operator member, viewer member and an operator of another project.
/// The table below is the decision for each route; a route the server maps that is not in it
/// (or whose declared permission differs from it) fails the test, so no route ships undecided.
/// </summary>
public sealed partial class RoleMatrixTests : ServerTest
{
    private static readonly Permission Public = Permission.Public;

    /// <summary>Every route mapped, the optional ones too.</summary>
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telemetry:Metrics:Enabled"] = "true",
        ["Telemetry:Metrics:Token"] = "role-matrix-metrics-token",
    };
    private static Permission Global(string role) => new(role);
    private static Permission In(string role, ProjectFrom from) => new(role, from);

    private static readonly Dictionary<string, Permission> Decisions = new(StringComparer.Ordinal)
    {
        ["GET /health"] = Public,
        // The scrape endpoint (on in this class's settings) checks its own token: see MetricsEndpointTests.
        ["* /metrics"] = Public,
        ["* /api/{**path}"] = Global(Roles.Viewer),
        ["POST /api/projects"] = Global(Roles.Admin),
        ["GET /api/projects"] = Global(Roles.Viewer),
        ["GET /api/projects/{id}"] = In(Roles.Viewer, ProjectFrom.Project),
        ["PATCH /api/projects/{id}"] = In(Roles.Admin, ProjectFrom.Project),
        ["DELETE /api/projects/{id}"] = Global(Roles.Admin),
        ["GET /api/projects/{id}/members"] = In(Roles.Viewer, ProjectFrom.Project),
        ["PUT /api/projects/{id}/members/{userId}"] = In(Roles.Admin, ProjectFrom.Project),
        ["DELETE /api/projects/{id}/members/{userId}"] = In(Roles.Admin, ProjectFrom.Project),
        ["POST /api/sessions"] = Global(Roles.Operator),
        ["GET /api/sessions"] = Global(Roles.Viewer),
        ["GET /api/sessions/{id}"] = In(Roles.Viewer, ProjectFrom.Session),
        ["PATCH /api/sessions/{id}"] = In(Roles.Operator, ProjectFrom.Session),
        ["DELETE /api/sessions/{id}"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/start"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/messages"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/interrupt"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/pause"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/resume"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/cancel"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/close"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/hibernate"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/merge"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /api/sessions/{id}/discard"] = In(Roles.Operator, ProjectFrom.Session),
        ["GET /api/sessions/{id}/events"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /api/sessions/{id}/stream"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /api/sessions/{id}/blobs/{blobId}"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /api/sessions/{id}/changes"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /api/questions"] = Global(Roles.Viewer),
        ["GET /api/questions/{id}"] = In(Roles.Viewer, ProjectFrom.Question),
        ["POST /api/questions/{id}/answer"] = In(Roles.Operator, ProjectFrom.Question),
        ["GET /api/reviews"] = Global(Roles.Viewer),
        ["GET /api/reviews/{id}"] = In(Roles.Viewer, ProjectFrom.Review),
        ["POST /api/reviews/{id}/approve"] = In(Roles.Operator, ProjectFrom.Review),
        ["POST /api/reviews/{id}/request-changes"] = In(Roles.Operator, ProjectFrom.Review),
        ["GET /api/approvals"] = Global(Roles.Viewer),
        ["GET /api/approvals/{id}"] = In(Roles.Viewer, ProjectFrom.Approval),
        ["POST /api/approvals/{id}/approve"] = In(Roles.Operator, ProjectFrom.Approval),
        ["POST /api/approvals/{id}/deny"] = In(Roles.Operator, ProjectFrom.Approval),
        ["GET /api/dependencies"] = Global(Roles.Viewer),
        ["GET /api/dependencies/{id}"] = In(Roles.Viewer, ProjectFrom.Dependency),
        ["POST /api/dependencies/{id}/provide"] = In(Roles.Operator, ProjectFrom.Dependency),
        ["POST /api/policy/evaluate"] = Global(Roles.Admin),
        ["GET /api/policy"] = Global(Roles.Admin),
        ["GET /api/policy/rules"] = Global(Roles.Admin),
        ["DELETE /api/policy/rules/{id}"] = Global(Roles.Admin),
        ["GET /api/secrets"] = Global(Roles.Admin),
        ["GET /api/secrets/{name}"] = Global(Roles.Admin),
        ["PUT /api/secrets/{name}"] = Global(Roles.Admin),
        ["DELETE /api/secrets/{name}"] = Global(Roles.Admin),
        ["GET /api/stats"] = Global(Roles.Viewer),
        ["GET /api/usage"] = Global(Roles.Viewer),
        ["GET /api/stream"] = Global(Roles.Viewer),
        ["GET /api/search"] = Global(Roles.Viewer),
        ["GET /api/users"] = Global(Roles.Owner),
        ["POST /api/users"] = Global(Roles.Owner),
        ["GET /api/users/{id}"] = new(Roles.Owner, ProjectFrom.Self),
        ["PATCH /api/users/{id}"] = Global(Roles.Owner),
        ["DELETE /api/users/{id}"] = Global(Roles.Owner),
        ["PUT /api/users/{id}/password"] = new(Roles.Owner, ProjectFrom.Self),
        ["* /ws"] = Public,
        ["GET /static/{**path}"] = Public,
        ["GET /manifest.webmanifest"] = Public,
        ["GET /sw.js"] = Public,
        ["GET /login"] = Public,
        ["POST /login"] = Public,
        ["POST /logout"] = Global(Roles.Viewer),
        ["GET /"] = Global(Roles.Viewer),
        ["GET /sessions/{id}"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /sessions/{id}/events"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /sessions/{id}/changes"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /sessions/{id}/blobs/{blobId}"] = In(Roles.Viewer, ProjectFrom.Session),
        ["GET /search"] = Global(Roles.Viewer),
        ["GET /inbox"] = Global(Roles.Viewer),
        ["GET /projects"] = Global(Roles.Viewer),
        ["GET /stats"] = Global(Roles.Viewer),
        ["GET /users"] = Global(Roles.Owner),
        ["GET /ui/stream"] = Global(Roles.Viewer),
        ["GET /ui/session"] = Global(Roles.Viewer),
        ["GET /ui/approvals/{id}"] = In(Roles.Viewer, ProjectFrom.Approval),
        ["POST /ui/sessions"] = Global(Roles.Operator),
        ["POST /ui/sessions/{id}/retry"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/edit"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/start"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/delete"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/message"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/interrupt"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/pause"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/resume"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/cancel"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/close"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/hibernate"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/merge"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/sessions/{id}/discard"] = In(Roles.Operator, ProjectFrom.Session),
        ["POST /ui/approvals/{id}/approve"] = In(Roles.Operator, ProjectFrom.Approval),
        ["POST /ui/approvals/{id}/deny"] = In(Roles.Operator, ProjectFrom.Approval),
        ["POST /ui/questions/{id}/answer"] = In(Roles.Operator, ProjectFrom.Question),
        ["POST /ui/dependencies/{id}/provide"] = In(Roles.Operator, ProjectFrom.Dependency),
        ["POST /ui/reviews/{id}/approve"] = In(Roles.Operator, ProjectFrom.Review),
        ["POST /ui/reviews/{id}/request-changes"] = In(Roles.Operator, ProjectFrom.Review),
        ["POST /ui/projects"] = Global(Roles.Admin),
        ["POST /ui/projects/{id}/delete"] = Global(Roles.Admin),
        ["POST /ui/projects/{id}/members"] = In(Roles.Admin, ProjectFrom.Project),
        ["POST /ui/projects/{id}/members/{userId}/delete"] = In(Roles.Admin, ProjectFrom.Project),
        ["POST /ui/users"] = Global(Roles.Owner),
        ["POST /ui/users/{id}/role"] = Global(Roles.Owner),
        ["POST /ui/users/{id}/delete"] = Global(Roles.Owner),
        ["GET /api/health"] = Public,
        // The MCP server: a token with any role connects; each tool checks its own role and project.
        ["POST /mcp"] = Global(Roles.Viewer),
        ["GET /mcp"] = Global(Roles.Viewer),
        ["DELETE /mcp"] = Global(Roles.Viewer),
        ["POST /api/approvals/{id}/reject"] = In(Roles.Operator, ProjectFrom.Approval),
        ["GET /api/audit"] = Global(Roles.Viewer),
        ["GET /api/templates"] = Global(Roles.Viewer),
        ["GET /api/templates/{id}"] = Global(Roles.Viewer),
        ["POST /api/templates"] = Global(Roles.Operator),
        ["PUT /api/templates/{id}"] = Global(Roles.Admin),
        ["DELETE /api/templates/{id}"] = Global(Roles.Admin),
        ["POST /api/templates/{id}/copy"] = Global(Roles.Operator),
        ["POST /api/templates/{id}/render"] = Global(Roles.Viewer),
        // Running checks the operator role in the body's project too (TemplatesApiTests).
        ["POST /api/templates/{id}/run"] = Global(Roles.Operator),
        ["GET /api/schedules"] = Global(Roles.Viewer),
        ["GET /api/schedules/preview"] = Global(Roles.Viewer),
        ["GET /api/schedules/{id}"] = In(Roles.Viewer, ProjectFrom.Schedule),
        // Creating checks the operator role in the body's project too (SchedulesApiTests).
        ["POST /api/schedules"] = Global(Roles.Operator),
        ["PUT /api/schedules/{id}"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["DELETE /api/schedules/{id}"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /api/schedules/{id}/enable"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /api/schedules/{id}/disable"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /api/schedules/{id}/run"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["GET /api/schedules/{id}/runs"] = In(Roles.Viewer, ProjectFrom.Schedule),
        // Everyone manages their own tokens and notification channels; the handlers keep people apart.
        ["POST /api/tokens"] = Global(Roles.Viewer),
        ["GET /api/tokens"] = Global(Roles.Viewer),
        ["GET /api/tokens/{id}"] = Global(Roles.Viewer),
        ["DELETE /api/tokens/{id}"] = Global(Roles.Viewer),
        ["GET /api/notifications/channels"] = Global(Roles.Viewer),
        ["POST /api/notifications/channels"] = Global(Roles.Viewer),
        ["GET /api/notifications/channels/{id}"] = Global(Roles.Viewer),
        ["PATCH /api/notifications/channels/{id}"] = Global(Roles.Viewer),
        ["DELETE /api/notifications/channels/{id}"] = Global(Roles.Viewer),
        ["GET /api/notifications/webpush"] = Global(Roles.Viewer),
        ["GET /api/notifications"] = Global(Roles.Viewer),
        ["GET /api/notifications/{id}"] = Global(Roles.Viewer),
        ["POST /api/notifications/{id}/redeliver"] = Global(Roles.Viewer),
        ["GET /login/continue"] = Public,
        ["POST /login/passkey/options"] = Public,
        ["POST /login/passkey"] = Public,
        ["GET /login/oidc"] = Public,
        ["GET /n/{token}"] = Public,
        ["POST /n/{token}"] = Public,
        ["POST /telegram/webhook"] = Public,
        ["GET /account"] = Global(Roles.Viewer),
        ["POST /account/passkeys/options"] = Global(Roles.Viewer),
        ["POST /account/passkeys"] = Global(Roles.Viewer),
        ["POST /account/passkeys/{id}/rename"] = Global(Roles.Viewer),
        ["POST /account/passkeys/{id}/remove"] = Global(Roles.Viewer),
        ["GET /templates"] = Global(Roles.Viewer),
        ["GET /templates/{id}"] = Global(Roles.Viewer),
        ["GET /tokens"] = Global(Roles.Viewer),
        ["GET /audit"] = Global(Roles.Viewer),
        ["GET /notifications"] = Global(Roles.Viewer),
        ["POST /ui/templates"] = Global(Roles.Operator),
        ["POST /ui/templates/{id}/copy"] = Global(Roles.Operator),
        ["POST /ui/templates/{id}/delete"] = Global(Roles.Admin),
        ["POST /ui/templates/{id}/run"] = Global(Roles.Operator),
        ["GET /schedules"] = Global(Roles.Viewer),
        ["GET /schedules/{id}"] = In(Roles.Viewer, ProjectFrom.Schedule),
        ["GET /ui/schedules/fields"] = Global(Roles.Viewer),
        ["GET /ui/schedules/preview"] = Global(Roles.Viewer),
        ["POST /ui/schedules"] = Global(Roles.Operator),
        ["POST /ui/schedules/{id}/enable"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /ui/schedules/{id}/disable"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /ui/schedules/{id}/run"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /ui/schedules/{id}/delete"] = In(Roles.Operator, ProjectFrom.Schedule),
        ["POST /ui/tokens"] = Global(Roles.Viewer),
        ["POST /ui/tokens/{id}/revoke"] = Global(Roles.Viewer),
        ["POST /ui/notifications/push"] = Global(Roles.Viewer),
        ["POST /ui/notifications/{id}/redeliver"] = Global(Roles.Viewer),
        ["POST /ui/notifications/channels"] = Global(Roles.Viewer),
        ["POST /ui/notifications/channels/{id}"] = Global(Roles.Viewer),
        ["POST /ui/notifications/channels/{id}/remove"] = Global(Roles.Viewer),
        // Who may set which budget depends on its scope and project (BudgetsApiTests): the least of them on the route.
        ["GET /api/budgets"] = Global(Roles.Viewer),
        ["PUT /api/budgets"] = Global(Roles.Operator),
        ["DELETE /api/budgets/{id}"] = Global(Roles.Operator),
        ["GET /api/sessions/predict"] = Global(Roles.Viewer),
        ["POST /api/sessions/{id}/budget/approve-overrun"] = In(Roles.Operator, ProjectFrom.Session),
        ["GET /budgets"] = Global(Roles.Viewer),
        ["GET /ui/predict"] = Global(Roles.Viewer),
        ["POST /ui/budgets"] = Global(Roles.Operator),
        ["POST /ui/budgets/{id}/delete"] = Global(Roles.Operator),
        ["POST /ui/sessions/{id}/approve-overrun"] = In(Roles.Operator, ProjectFrom.Session),
        // Monitoring is about the machines: everyone sees it, operators act on alerts, admins define what runs.
        ["GET /api/checks"] = Global(Roles.Viewer),
        ["GET /api/checks/{id}"] = Global(Roles.Viewer),
        ["GET /api/checks/{id}/series"] = Global(Roles.Viewer),
        ["POST /api/checks"] = Global(Roles.Admin),
        ["DELETE /api/checks/{id}"] = Global(Roles.Admin),
        ["POST /api/checks/{id}/run"] = Global(Roles.Operator),
        ["GET /api/alert-rules"] = Global(Roles.Viewer),
        ["GET /api/alert-rules/{id}"] = Global(Roles.Viewer),
        ["POST /api/alert-rules"] = Global(Roles.Admin),
        ["DELETE /api/alert-rules/{id}"] = Global(Roles.Admin),
        ["GET /api/alerts"] = Global(Roles.Viewer),
        ["GET /api/alerts/{id}"] = Global(Roles.Viewer),
        ["POST /api/alerts/{id}/ack"] = Global(Roles.Operator),
        ["POST /api/alerts/{id}/silence"] = Global(Roles.Operator),
        ["GET /ops"] = Global(Roles.Viewer),
        ["POST /ui/alerts/{id}/ack"] = Global(Roles.Operator),
        ["POST /ui/alerts/{id}/silence"] = Global(Roles.Operator),
        // A project's role is capped by the global one: a project's admins are admins. The handlers
        // also check the admin role in the trigger's own project (TriggersApiTests).
        ["GET /api/triggers"] = Global(Roles.Admin),
        ["POST /api/triggers"] = Global(Roles.Admin),
        ["GET /api/triggers/{id}"] = Global(Roles.Admin),
        ["PATCH /api/triggers/{id}"] = Global(Roles.Admin),
        ["DELETE /api/triggers/{id}"] = Global(Roles.Admin),
        ["POST /api/triggers/{id}/secret"] = Global(Roles.Admin),
        ["GET /api/triggers/{id}/deliveries"] = Global(Roles.Admin),
        // A provider's webhook: its signature is its authorization (TriggerWebhookTests).
        ["POST /hooks/{id}"] = Public,
        // Whoever may start sessions or write templates may ask for a better prompt.
        ["POST /api/prompts/optimize"] = Global(Roles.Operator),
        ["GET /triggers"] = Global(Roles.Admin),
        ["GET /triggers/{id}"] = Global(Roles.Admin),
        ["POST /ui/triggers"] = Global(Roles.Admin),
        ["POST /ui/triggers/{id}/secret"] = Global(Roles.Admin),
        ["POST /ui/triggers/{id}/enabled"] = Global(Roles.Admin),
        ["POST /ui/triggers/{id}/delete"] = Global(Roles.Admin),
        ["POST /ui/prompts/optimize"] = Global(Roles.Operator),
    };

    /// <summary>
    /// Open routes that authorize themselves whatever the caller's role (a signed action link, a
    /// webhook's secret): the matrix checks only that they never fail; their own tests check the rest.
    /// </summary>
    private static readonly HashSet<string> SelfAuthorizing = new(StringComparer.Ordinal) { "GET /n/{token}", "POST /n/{token}", "POST /telegram/webhook", "POST /hooks/{id}", "* /metrics" };

    /// <summary>Routes whose success removes the item they name: each person acts on a fresh one.</summary>
    private static readonly HashSet<string> RemovesItsItem = new(StringComparer.Ordinal) { "DELETE /api/schedules/{id}", "POST /ui/schedules/{id}/delete" };
    /// <summary>
    /// Routes that delete their session: each person acts on a draft of their own in project one,
    /// so the shared session the other routes use is still there for them.
    /// </summary>
    private static readonly HashSet<string> Deleting = new(StringComparer.Ordinal) { "DELETE /api/sessions/{id}", "POST /ui/sessions/{id}/delete" };

    private enum Outcome { Allowed, Forbidden, Hidden }

    private List<(string Key, string Method, string Pattern, Permission? Declared)> Routes()
    {
        var routes = new List<(string, string, string, Permission?)>();
        foreach (var endpoint in Server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            pattern = pattern.StartsWith('/') ? pattern : "/" + pattern;
            pattern = CatchAll().Replace(pattern, "{**path}");
            if (pattern.Length > 1)
                pattern = pattern.TrimEnd('/');
            var declared = endpoint.Metadata.GetMetadata<Permission>();
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                routes.Add(($"{method} {pattern}", method, pattern, declared));
        }
        return routes;
    }

    [Fact]
    public void EveryEndpoint_DeclaresThePermissionDecidedForIt()
    {
        var routes = Routes();
        var undecided = routes.Where(r => !Decisions.ContainsKey(r.Key)).Select(r => r.Key).ToList();
        undecided.ShouldBeEmpty("routes with no decision in the role matrix: add each to Decisions with who may use it");
        foreach (var (key, _, _, declared) in routes)
            declared.ShouldBe(Decisions[key], $"{key} declares {declared?.ToString() ?? "no permission"}");
        Decisions.Keys.Except(routes.Select(r => r.Key)).ShouldBeEmpty("decisions for routes the server no longer maps");
    }

    [Fact]
    public async Task EveryEndpoint_ForEachRole_AnswersAsItsDecisionSays()
    {
        var world = await RoleWorld.CreateAsync(Server, NewProjectDir);
        var dashboards = new Dictionary<Person, (HttpClient Client, string Csrf)>();
        foreach (var person in world.Everyone)
        {
            var (client, _) = await DashboardClient.SignInAsync(Server.Address, person.Token);
            dashboards[person] = (client, await DashboardClient.CsrfAsync(client, "/stats"));
        }
        // Signing out ends the dashboard session the later routes use: it goes last.
        var routes = Routes().OrderBy(r => r.Key == "POST /logout").ToList();
        var checkedCount = 0;
        foreach (var (key, method, pattern, _) in routes)
        {
            var decision = Decisions[key];
            var path = PathFor(pattern, decision, world);
            foreach (var person in world.Everyone)
            {
                // A route that removes its schedule gets a schedule of its own for each person.
                if (RemovesItsItem.Contains(key))
                    path = pattern.Replace("{id}", await world.NewScheduleAsync(), StringComparison.Ordinal);
                if (Deleting.Contains(key))
                    path = pattern.Replace("{id}", await world.DraftAsync(Server.Client), StringComparison.Ordinal);
                var expected = Expect(decision, person);
                var isApi = pattern.StartsWith("/api", StringComparison.Ordinal) || pattern == "/health" || pattern == "/ws" || pattern == "/mcp";
                var (status, body) = await SendAsync(isApi ? Server.CreateClient(person.Token) : dashboards[person].Client,
                    method == "*" ? "GET" : method, path, isApi ? null : dashboards[person].Csrf);
                if (SelfAuthorizing.Contains(key))
                {
                    status.ShouldBeLessThan(500, $"{key} as {person}: {body[..Math.Min(body.Length, 300)]}");
                    checkedCount++;
                    continue;
                }
                var what = $"{key} as {person} ({person.GlobalRole}, in project one: {person.RoleInProjectOne ?? "none"}) answered {status}: {body[..Math.Min(body.Length, 300)]}";
                var hiddenSentence = HiddenSentence(decision, path);
                switch (expected)
                {
                    case Outcome.Forbidden:
                        status.ShouldBe(403, what);
                        if (isApi)
                            body.ShouldContain("\"code\":\"FORBIDDEN\"", Case.Sensitive, what);
                        body.ShouldContain($"the {decision.Role} role", Case.Sensitive, what);
                        break;
                    case Outcome.Hidden:
                        status.ShouldBe(404, what);
                        body.ShouldContain(hiddenSentence!, Case.Sensitive, what);
                        break;
                    default:
                        status.ShouldNotBe(401, what);
                        status.ShouldNotBe(403, what);
                        if (hiddenSentence is not null)
                            body.ShouldNotContain(hiddenSentence, Case.Sensitive, what);
                        break;
                }
                checkedCount++;
            }
        }
        checkedCount.ShouldBe(Decisions.Count * world.Everyone.Count);
    }

    private static Outcome Expect(Permission decision, Person person)
    {
        if (decision.IsPublic)
            return Outcome.Allowed;
        if (decision.From is ProjectFrom.None or ProjectFrom.Self)
            return Roles.AtLeast(person.GlobalRole, decision.Role) ? Outcome.Allowed : Outcome.Forbidden;
        if (person.RoleInProjectOne is null)
            return Outcome.Hidden;
        return Roles.AtLeast(person.RoleInProjectOne, decision.Role) ? Outcome.Allowed : Outcome.Forbidden;
    }

    /// <summary>The route with its values: the real items of project one where the decision looks there, a stand-in elsewhere.</summary>
    private static string PathFor(string pattern, Permission decision, RoleWorld world)
    {
        var id = decision.From switch
        {
            ProjectFrom.Project => world.One.Id,
            ProjectFrom.Session => world.Session,
            ProjectFrom.Approval => world.Approval,
            ProjectFrom.Question => world.Question,
            ProjectFrom.Review => world.Review,
            ProjectFrom.Dependency => world.Dependency,
            ProjectFrom.Schedule => world.Schedule,
            _ => "x_nothing",
        };
        var path = pattern.Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{**path}", pattern.StartsWith("/static", StringComparison.Ordinal) ? "app.css" : "nothing-here", StringComparison.Ordinal);
        return RouteValue().Replace(path, "x_nothing") + (path.EndsWith("/search", StringComparison.Ordinal) ? "?q=test" : "");
    }

    /// <summary>What a missing item's 404 says (and, the same, an item the caller may not see); null for routes not about an item.</summary>
    private static string? HiddenSentence(Permission decision, string path)
    {
        var noun = decision.From switch
        {
            ProjectFrom.Project => "project",
            ProjectFrom.Session => "session",
            ProjectFrom.Approval => "approval",
            ProjectFrom.Question => "question",
            ProjectFrom.Review => "review",
            ProjectFrom.Dependency => "dependency",
            ProjectFrom.Schedule => "schedule",
            _ => null,
        };
        return noun is null ? null : $"No {noun} has id";
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, string method, string path, string? csrf)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            request.Content = csrf is null
                ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent(new Dictionary<string, string>());
        }
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", csrf);
            request.Headers.Add("HX-Request", "true");
        }
        // Streams answer their headers and go on: read the status, then hang up.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var type = response.Content.Headers.ContentType?.MediaType;
        var body = type == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, body);
    }

    [GeneratedRegex(@"\{\*\*?[^}]+\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();
}
