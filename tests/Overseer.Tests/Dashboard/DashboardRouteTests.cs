using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Dashboard;

public sealed partial class DashboardRouteTests : ServerTest
{
    // Only these answer without signing in: the sign-in page and its ways in (passkey, single
    // sign-on, the page single sign-on lands on), the app shell's static files, and two routes
    // that carry their own authorization: a notification's signed action link
    // (Notifications/ActionLinkTests), Telegram's webhook with its secret token (TelegramWebhookTests)
    // and the triggers' webhooks with their providers' signatures (Triggers/TriggerWebhookTests).
    private static readonly string[] Open =
    [
        "/health", "/login", "/login/passkey/options", "/login/passkey", "/login/oidc", "/login/continue",
        "/static/{**path}", "/manifest.webmanifest", "/sw.js", "/n/{token}", "/telegram/webhook", "/hooks/{id}",
    ];

    private IEnumerable<(string Method, string Path)> DashboardRoutes()
    {
        foreach (var endpoint in Server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.StartsWith("/api", StringComparison.Ordinal) || pattern.StartsWith("/ws", StringComparison.Ordinal) || Open.Contains(pattern))
                continue;
            var path = Regex.Replace(pattern, @"\{[^}]+\}", "x");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                yield return (method, path.Length == 0 ? "/" : path);
        }
    }

    private HttpClient Anonymous(bool htmx = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Address };
        if (htmx)
            client.DefaultRequestHeaders.Add("HX-Request", "true");
        return client;
    }

    [Fact]
    public async Task EveryDashboardRoute_WithoutSigningIn_SendsTheBrowserToSignIn()
    {
        var routes = DashboardRoutes().ToList();
        routes.Count.ShouldBeGreaterThan(15);
        using var anonymous = Anonymous();
        foreach (var (method, path) in routes)
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            if (path == "/ui/stream")
            {
                // An EventSource cannot show a sign-in page: it is told 401 and the page's glue reloads.
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
                continue;
            }
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{method} {path}");
            new Uri(Server.Address, response.Headers.Location!).AbsolutePath.ShouldBe("/login", $"{method} {path}");
        }
    }

    [Fact]
    public async Task EveryDashboardRoute_FromHtmxWithoutSigningIn_Answers401AndAsksForAFullPageSignIn()
    {
        using var anonymous = Anonymous(htmx: true);
        foreach (var (method, path) in DashboardRoutes())
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            response.Headers.GetValues("HX-Redirect").ShouldBe(["/login"]);
        }
    }

    [Fact]
    public async Task ApiBearerToken_DoesNotOpenTheDashboard()
    {
        using var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.Token);

        using var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the dashboard takes its own cookie session, so a stolen page cannot be driven by a header");
    }

    [Fact]
    public async Task Login_ReturnUrlToAnotherSite_IsIgnored()
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token, "//evil.example/steal");

        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        DashboardClient.LastRedirect.ShouldBe("/");
    }

    [Fact]
    public async Task Stream_RendersEventsAsHtmlFragments_WithSeqIdsAndSafeFraming()
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { say = "first line\rsecond <b>line</b>\r\nthird" } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var text = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentText);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/ui/stream?view=session&id={session.Id}&after={text.Seq - 1}");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.Contains("third", StringComparison.Ordinal))
                break;
        }

        lines.ShouldContain("event: ui");
        // Every line is a field the browser understands: a stray CR in agent text must not start a bogus one.
        lines.Where(l => l.Length > 0).ShouldAllBe(l => l.StartsWith("data: ") || l.StartsWith("id: ") || l.StartsWith("event: ") || l.StartsWith("retry: ") || l.StartsWith(':'));
        var ids = lines.Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        ids.ShouldNotBeEmpty();
        ids.ShouldAllBe(id => id >= text.Seq);
        var html = string.Join('\n', lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]));
        html.ShouldContain($"data-seq=\"{text.Seq}\"");
        html.ShouldContain("hx-swap-oob=\"beforeend:#transcript\"");
        html.ShouldNotContain("<b>line</b>");
    }

    [Fact]
    public async Task Stream_WithAnUnknownView_Answers400()
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);

        (await client.GetAsync("/ui/stream?view=nonsense&after=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/ui/stream?view=board&after=abc")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SessionPage_WithAnEventInAnUnexpectedShape_StillOpensAndSaysSo()
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "before" } }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var odd = JsonDocument.Parse("{\"toolUseId\": 42, \"name\": null}").RootElement;
        await Server.Service<Overseer.Storage.IEventStore>().AppendAsync([new NewEvent(session.Id, EventTypes.ToolCall, "agent", odd)]);

        using var response = await client.GetAsync($"/sessions/{session.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("could not be shown");
        html.ShouldContain("<p>before</p>");
    }

    [Fact]
    public async Task UnsandboxedSession_IsMarkedOnTheBoardTheSessionPageAndItsTranscript()
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "bare" } }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        // What a claude-code agent started with Sandbox:Mode=Off records first.
        var off = JsonSerializer.SerializeToElement(new AgentSandboxData("off", "full", new SandboxLimitsData(0, 0, 0, 0), "none"), Overseer.Contracts.OverseerJson.Default.AgentSandboxData);
        await Server.Service<Overseer.Storage.IEventStore>().AppendAsync([new NewEvent(session.Id, EventTypes.AgentSandbox, "agent", off)]);

        (await Client.GetSessionAsync(session.Id)).Sandbox.ShouldBe("off");
        var page = await client.GetStringAsync($"/sessions/{session.Id}");
        page.ShouldContain("id=\"session-unsandboxed\"");
        page.ShouldContain("Unsandboxed: this agent runs as the server&#x27;s user");
        (await client.GetStringAsync("/")).ShouldContain(">unsandboxed</span>");
    }
}
