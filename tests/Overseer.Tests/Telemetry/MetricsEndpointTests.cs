using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Telemetry;

/// <summary>/metrics on a real server process: who may read it, that Prometheus could parse it, and that it follows what the server does.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests(TelemetryServer fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Metrics_WithoutItsOwnToken_AreRefused()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.Address };
        using var bare = await anonymous.GetAsync("/metrics");
        bare.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await bare.ProblemAsync()).GetProperty("code").GetString().ShouldBe("UNAUTHORIZED");
        bare.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new("Bearer", TelemetryServer.MetricsToken + "x");
        (await anonymous.SendAsync(wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // The admin's API token is not the metrics token: a scraper never holds a person's rights, nor they its.
        (await Client.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Metrics_ParseAsPrometheusText_AndMoveWithASession()
    {
        var before = await fixture.ScrapeAsync();
        before["overseer_stream_subscribers"].Type.ShouldBe("gauge");
        before["target_info"].Samples.Single().Labels["service_name"].ShouldBe("overseer");

        var project = await Client.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { usage = new { inputTokens = 1200, outputTokens = 340, costUsd = 0.05, model = "metrics-model" } },
            new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "ran" } },
            new { say = "done" },
        });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);

        var waiting = await fixture.ScrapeAsync();
        waiting["overseer_approvals_pending"].Value().ShouldBeGreaterThanOrEqualTo(1);
        waiting["overseer_approvals_oldest_age_seconds"].Value().ShouldBeGreaterThanOrEqualTo(0);
        waiting["overseer_sessions"].Value(labels: ("status", "waiting")).ShouldBeGreaterThanOrEqualTo(1);
        waiting["overseer_agent_tokens_total"].Value(labels: [("model", "metrics-model"), ("type", "input")]).ShouldBe(1200);
        waiting["overseer_agent_tokens_total"].Value(labels: [("model", "metrics-model"), ("type", "output")]).ShouldBe(340);
        waiting["overseer_agent_cost_usd_total"].Value(labels: ("model", "metrics-model")).ShouldBe(0.05, 1e-9);

        var approval = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        (await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var after = await fixture.ScrapeAsync();
        var appended = after["overseer_events_appended_total"];
        appended.Type.ShouldBe("counter");
        var events = await Client.GetEventsAsync(session.Id);
        (appended.Value() - Counted(before, "overseer_events_appended_total")).ShouldBeGreaterThanOrEqualTo(events.Count);
        after["overseer_store_commit_duration_seconds"].Type.ShouldBe("histogram");
        after["overseer_store_commit_duration_seconds"].Value("overseer_store_commit_duration_seconds_count")
            .ShouldBeGreaterThan(Counted(before, "overseer_store_commit_duration_seconds", "overseer_store_commit_duration_seconds_count"));
        after["overseer_store_append_duration_seconds"].Value("overseer_store_append_duration_seconds_count").ShouldBeGreaterThan(0);
        after["overseer_sessions"].Value(labels: ("status", "idle")).ShouldBeGreaterThanOrEqualTo(1);
        after["overseer_tool_calls_total"].Value(labels: [("tier", "ORANGE"), ("decision", "allow")]).ShouldBeGreaterThanOrEqualTo(1);
        after["overseer_approval_wait_seconds"].Value("overseer_approval_wait_seconds_count", ("decision", "allow")).ShouldBeGreaterThanOrEqualTo(1);
        after["overseer_approvals_pending"].Value().ShouldBeLessThan(waiting["overseer_approvals_pending"].Value());
        // ASP.NET Core's own request metrics come along.
        after.Keys.ShouldContain("http_server_request_duration_seconds");
    }

    private static double Counted(IReadOnlyDictionary<string, MetricFamily> scrape, string family, string? sample = null) =>
        scrape.TryGetValue(family, out var f) ? f.Value(sample) : 0;
}
