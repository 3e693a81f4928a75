using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Telemetry;

/// <summary>What an OTLP collector receives from a real server process while a session runs a turn with a gated tool call.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracesTests(TelemetryServer fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Otlp_ReceivesTheTurn_WithItsToolCallAndTheApprovalWait()
    {
        var project = await Client.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { usage = new { inputTokens = 10, outputTokens = 20, costUsd = 0.001, model = "trace-model" } },
            new { tool = new { name = "Bash", input = new { command = "curl https://example.org" }, output = "ran" } },
            new { say = "done" },
        });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approval = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        var approvalId = approval.GetProperty("id").GetString();
        (await Client.PostJsonAsync($"/api/approvals/{approvalId}/approve", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        // How long the person took, as the store recorded it: the spans must say the same.
        var decided = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals/{approvalId}")).RootElement;
        var stored = decided.GetProperty("decidedAt").GetDateTimeOffset() - decided.GetProperty("createdAt").GetDateTimeOffset();

        var spans = await Poll.UntilAsync(() => Task.FromResult(fixture.Otlp.Spans), s =>
            s.Any(x => x.Name == "agent.turn" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id)
            && s.Any(x => x.Name == "tool.call" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id),
            what: "the turn's spans at the OTLP receiver");

        var turn = spans.Single(x => x.Name == "agent.turn" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id);
        turn.Service.ShouldBe("overseer");
        turn.Scope.ShouldBe("Overseer");
        turn.ParentSpanId.ShouldBeNull();
        turn.Attributes["overseer.runtime"].ShouldBe("scripted");
        turn.Attributes["gen_ai.usage.input_tokens"].ShouldBe("10");
        turn.Status.ShouldNotBe(2);

        var call = spans.Single(x => x.Name == "tool.call" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id);
        call.TraceId.ShouldBe(turn.TraceId);
        call.ParentSpanId.ShouldBe(turn.SpanId);
        call.Attributes["overseer.tool.name"].ShouldBe("Bash");
        call.Attributes["overseer.tool.tier"].ShouldBe("ORANGE");
        call.Attributes["overseer.tool.decision"].ShouldBe("allow");
        call.Attributes["overseer.approval.decided_by"].ShouldBe("admin");
        var waitMs = long.Parse(call.Attributes["overseer.approval.wait_ms"]!, System.Globalization.CultureInfo.InvariantCulture);
        waitMs.ShouldBeGreaterThan(0);
        TimeSpan.FromMilliseconds(waitMs).ShouldBe(stored, TimeSpan.FromMilliseconds(250));
        call.Duration.ShouldBeLessThanOrEqualTo(turn.Duration);

        var wait = spans.Single(x => x.Name == "approval.wait" && x.ParentSpanId == call.SpanId);
        wait.TraceId.ShouldBe(turn.TraceId);
        wait.Duration.ShouldBe(stored, TimeSpan.FromMilliseconds(250));
        wait.Duration.ShouldBeLessThanOrEqualTo(call.Duration);

        // The person's approval is an API request span of its own (ASP.NET Core's), with the route.
        spans.ShouldContain(x => x.Name == "POST /api/approvals/{id}/approve");
    }

    [Fact]
    public async Task Otlp_DeniedCall_EndsItsSpanAsAnError()
    {
        var project = await Client.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command = "curl https://example.net" }, output = "ran" } },
        });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approval = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        (await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/deny", "{\"reason\": \"not today\"}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var call = (await Poll.UntilAsync(() => Task.FromResult(fixture.Otlp.Spans),
            s => s.Any(x => x.Name == "tool.call" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id), what: "the denied call's span"))
            .Single(x => x.Name == "tool.call" && x.Attributes.GetValueOrDefault("overseer.session.id") == session.Id);
        call.Attributes["overseer.tool.decision"].ShouldBe("deny");
        call.Status.ShouldBe(2);
    }
}
