using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class ApprovalsApiTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sessions:ApprovalTimeout"] = "00:00:02" };

    private async Task<(string SessionId, JsonElement Approval)> PendingAsync(string command, string? timeout = null)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command }, output = "ran" } },
            new { say = "after" },
        });
        var session = await Client.CreateSessionAsync(project.Id, script);
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Approvals.ShouldBe(1);
        var items = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, items.EnumerateArray().Single());
    }

    private async Task<JsonElement> ToolOutcomeAsync(string sessionId)
    {
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var events = await Client.GetEventsAsync(sessionId);
        return events.Single(e => e.Type == EventTypes.ToolResult).Data;
    }

    [Fact]
    public async Task OrangeCall_WaitsForApproval_ThenRuns()
    {
        var (sessionId, approval) = await PendingAsync("curl https://example.com");
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        approval.GetProperty("tool").GetString().ShouldBe("Bash");
        approval.GetProperty("input").GetProperty("command").GetString().ShouldBe("curl https://example.com");
        approval.GetProperty("reason").GetString().ShouldNotBeNullOrEmpty();
        approval.GetProperty("rule").GetString().ShouldNotBeNullOrEmpty();
        approval.TryGetProperty("confirmPhrase", out var phrase).ShouldBeTrue();
        phrase.ValueKind.ShouldBe(JsonValueKind.Null);

        var id = approval.GetProperty("id").GetString();
        (await Client.PostJsonAsync($"/api/approvals/{id}/approve", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ToolOutcomeAsync(sessionId)).GetProperty("isError").GetBoolean().ShouldBeFalse();
        var decided = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals/{id}")).RootElement;
        decided.GetProperty("status").GetString().ShouldBe("approved");
        decided.GetProperty("decidedBy").GetString().ShouldBe("admin");
        decided.GetProperty("how").GetString().ShouldBe("approve");
        (await Client.GetEventsAsync(sessionId)).ShouldContain(e => e.Type == EventTypes.ApprovalDecided && e.Actor == "admin");
    }

    [Fact]
    public async Task Deny_TheAgentGetsTheReason()
    {
        var (sessionId, approval) = await PendingAsync("curl https://example.com");
        (await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/deny", "{\"reason\": \"no network today\"}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await ToolOutcomeAsync(sessionId);
        result.GetProperty("isError").GetBoolean().ShouldBeTrue();
        result.GetProperty("output").GetString()!.ShouldContain("no network today");
    }

    [Fact]
    public async Task Reject_IsDeny_AndTakesAnEmptyBody()
    {
        var (sessionId, approval) = await PendingAsync("curl https://example.com");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/approvals/{approval.GetProperty("id").GetString()}/reject");
        using var response = await Client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString().ShouldBe("denied");
        (await ToolOutcomeAsync(sessionId)).GetProperty("isError").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task RedCall_NeedsTheConfirmPhrase()
    {
        var (sessionId, approval) = await PendingAsync("git push --force origin main");
        approval.GetProperty("tier").GetString().ShouldBe("RED");
        var phrase = approval.GetProperty("confirmPhrase").GetString()!;
        var id = approval.GetProperty("id").GetString();

        foreach (var body in new[] { "{}", "{\"confirm\": \"yes\"}" })
        {
            using var refused = await Client.PostJsonAsync($"/api/approvals/{id}/approve", body);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var problem = await refused.ProblemAsync();
            problem.GetProperty("code").GetString().ShouldBe("CONFIRMATION_REQUIRED");
            problem.GetProperty("field").GetString().ShouldBe("confirm");
        }
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
        (await Client.PostJsonAsync($"/api/approvals/{id}/approve", JsonSerializer.Serialize(new { confirm = phrase }))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ToolOutcomeAsync(sessionId)).GetProperty("isError").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Undecided_IsDeniedWhenItTimesOut()
    {
        var (sessionId, approval) = await PendingAsync("curl https://example.com");
        var result = await ToolOutcomeAsync(sessionId);
        result.GetProperty("isError").GetBoolean().ShouldBeTrue();
        var decided = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals/{approval.GetProperty("id").GetString()}")).RootElement;
        decided.GetProperty("status").GetString().ShouldBe("denied");
        decided.GetProperty("how").GetString().ShouldBe("timeout");
    }

    [Fact]
    public async Task BlackCall_IsDeniedAtOnceWithNoApproval()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"echo ok && rm -rf /\"}}}]");
        var result = await ToolOutcomeAsync(session.Id);
        result.GetProperty("isError").GetBoolean().ShouldBeTrue();
        result.GetProperty("output").GetString()!.ShouldContain("BLACK");
        (await Client.GetStringAsync($"/api/approvals?sessionId={session.Id}")).ShouldContain("\"items\":[]");
    }

    [Fact]
    public async Task Remember_Project_AllowsTheSameCommandNextTime_AndCanBeRevoked()
    {
        var (sessionId, approval) = await PendingAsync("curl https://example.com");
        using (var bad = await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{\"remember\": \"forever\"}"))
        {
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await bad.ProblemAsync()).GetProperty("field").GetString().ShouldBe("remember");
        }
        (await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{\"remember\": \"project\"}")).EnsureSuccessStatusCode();
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var rules = JsonDocument.Parse(await Client.GetStringAsync("/api/policy/rules")).RootElement.GetProperty("items");
        var rule = rules.EnumerateArray().Single();
        rule.GetProperty("shape").GetString().ShouldBe("curl https://example.com");
        rule.GetProperty("scope").GetString().ShouldBe("project");

        // Same project, same command: runs without asking.
        var session = await Client.GetSessionAsync(sessionId);
        var again = await Client.CreateSessionAsync(session.ProjectId, "[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"curl https://example.com\"}}}]");
        await Client.WaitForStatusAsync(again.Id, SessionStatus.Idle);
        (await Client.GetEventsAsync(again.Id)).ShouldNotContain(e => e.Type == EventTypes.ApprovalRequested);

        (await Client.DeleteAsync($"/api/policy/rules/{rule.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.DeleteAsync($"/api/policy/rules/{rule.GetProperty("id").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var third = await Client.CreateSessionAsync(session.ProjectId, "[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"curl https://example.com\"}}}]");
        await Client.WaitForStatusAsync(third.Id, SessionStatus.Waiting);
    }

    [Fact]
    public async Task Evaluate_ClassifiesWithoutRunning()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        async Task<JsonElement> EvaluateAsync(string tool, object input)
        {
            using var response = await Client.PostJsonAsync("/api/policy/evaluate", JsonSerializer.Serialize(new { tool, input, projectId = project.Id }));
            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }
        (await EvaluateAsync("Bash", new { command = "ls -la" })).GetProperty("tier").GetString().ShouldBe("GREEN");
        (await EvaluateAsync("Bash", new { command = "bash -c \"rm -rf /\"" })).GetProperty("tier").GetString().ShouldBe("BLACK");
        (await EvaluateAsync("Read", new { file_path = Path.Combine(DataDir, "admin.token") })).GetProperty("tier").GetString().ShouldBe("BLACK");
        (await EvaluateAsync("mcp__github__create_issue", new { title = "x" })).GetProperty("tier").GetString().ShouldBe("ORANGE");
        using var bad = await Client.PostJsonAsync("/api/policy/evaluate", "{\"tool\": \"Bash\", \"input\": \"ls\", \"projectId\": \"" + project.Id + "\"}");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ProblemAsync()).GetProperty("field").GetString().ShouldBe("input");
        var effective = JsonDocument.Parse(await Client.GetStringAsync($"/api/policy?projectId={project.Id}")).RootElement;
        effective.GetProperty("rules").GetArrayLength().ShouldBeGreaterThan(0);
    }
}
