using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Monitoring;

namespace Overseer.Tests.Monitoring;

/// <summary>
/// An alert rule's runbook: its template runs as a session in the rule's project with the alert
/// as parameters, linked from the alert, under the read-only policy (GREEN runs; a YELLOW write
/// waits for a person), and at most once per the rule's interval.
/// </summary>
public sealed class RunbookTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Monitoring:Tiers:Critical"] = "00:00:00.500",
    };

    [Fact]
    public async Task Runbook_AlertRaised_StartsTheTemplateReadOnly_AndAYellowWriteWaitsForAPerson_OncePerItsInterval()
    {
        await using var service = await WatchedService.StartAsync();
        var dir = NewProjectDir();
        var project = await Client.CreateProjectAsync(dir);
        var template = await Client.PostOkAsync("/api/templates", new
        {
            name = "Investigate",
            prompt = "Investigate: {{alert}} (check {{check}}).",
            parametersSchema = new { type = "object", properties = new { alert = new { type = "string" }, check = new { type = "string" } }, required = new[] { "alert" } },
            defaults = new { runtime = "scripted" },
        });
        var notes = Path.Combine(dir, "notes.md");
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Read", input = new { file_path = Path.Combine(dir, "README.md") }, output = "hello" } },
            new { tool = new { name = "Write", input = new { file_path = notes, content = "restart it" }, output = "written" } },
            new { say = "done" },
        });
        await Client.PostOkAsync("/api/checks", new { name = "api", kind = "http", tier = "critical", target = service.Url.ToString() });
        await Client.PostOkAsync("/api/alert-rules", new
        {
            name = "api down", check = "api", when = "down",
            runbook = new { template = template.GetProperty("id").GetString(), project = project.Id, every = "1h", script },
        });
        await Client.WaitForCheckAsync("api", "ok");

        await service.StopAsync();
        var alert = await Poll.UntilAsync(async () => (await Client.AlertsAsync()).FirstOrDefault(), a => a.ValueKind == JsonValueKind.Object
            && a.GetProperty("runbookSessionId").ValueKind == JsonValueKind.String, what: "the alert with its runbook session");
        var sessionId = alert.GetProperty("runbookSessionId").GetString()!;
        var session = await Client.GetSessionAsync(sessionId);
        session.ProjectId.ShouldBe(project.Id);
        session.Prompt.ShouldStartWith("Investigate: api is down: ");
        session.Prompt.ShouldEndWith("(check api).");

        // GREEN ran by itself; the YELLOW write, which the server's policy would let through, waits for a person.
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Waiting);
        var approvals = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items");
        approvals.GetArrayLength().ShouldBe(1);
        approvals[0].GetProperty("tool").GetString().ShouldBe("Write");
        approvals[0].GetProperty("tier").GetString().ShouldBe("YELLOW");
        approvals[0].GetProperty("reason").GetString()!.ShouldContain("read-only session");
        var events = await Client.GetEventsAsync(sessionId);
        var read = events.First(e => e.Type == EventTypes.ToolDecided);
        read.Data.GetProperty("name").GetString().ShouldBe("Read");
        read.Data.GetProperty("tier").GetString().ShouldBe("GREEN");
        read.Data.GetProperty("decision").GetString().ShouldBe("allow");
        File.Exists(notes).ShouldBeFalse();

        // Back up, down again: a second alert, but the runbook ran less than an hour ago.
        await service.StartAgainAsync();
        await Client.WaitForAlertAsync("api-down", "resolved");
        await service.StopAsync();
        var second = await Poll.UntilAsync(async () => (await Client.AlertsAsync("firing")).FirstOrDefault(), a => a.ValueKind == JsonValueKind.Object
            && a.GetProperty("runbookError").ValueKind == JsonValueKind.String, what: "the second alert with its runbook refusal");
        second.GetProperty("runbookSessionId").ValueKind.ShouldBe(JsonValueKind.Null);
        second.GetProperty("runbookError").GetString()!.ShouldContain("at most once per 1h");
    }

    [Fact]
    public async Task AlertRules_WithARunbookOfAnUnknownTemplateOrBadPolicy_AreRefusedNamingTheField()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        await Client.PostOkAsync("/api/checks", new { name = "disk", kind = "host", metric = "disk", target = "/" });

        async Task<JsonElement> RefusedAsync(object body, HttpStatusCode status)
        {
            using var response = await Client.PostAsync("/api/alert-rules", JsonContent(body));
            response.StatusCode.ShouldBe(status);
            return await response.ProblemAsync();
        }

        var template = await RefusedAsync(new { name = "full", check = "disk", when = "disk > 90%", runbook = new { template = "nope", project = project.Id } }, HttpStatusCode.BadRequest);
        template.GetProperty("code").GetString().ShouldBe("TEMPLATE_NOT_FOUND");
        template.GetProperty("field").GetString().ShouldBe("runbook.template");
        var policy = await RefusedAsync(new { name = "full", check = "disk", when = "disk > 90%", runbook = new { template = "builtin-review-change", project = project.Id, policy = "yolo" } }, HttpStatusCode.BadRequest);
        policy.GetProperty("field").GetString().ShouldBe("runbook.policy");
        var when = await RefusedAsync(new { name = "full", check = "disk", when = "disk is big" }, HttpStatusCode.BadRequest);
        when.GetProperty("field").GetString().ShouldBe("when");
        (await RefusedAsync(new { name = "full", check = "nope", when = "down" }, HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("CHECK_NOT_FOUND");
        (await Client.GetStringAsync("/api/alert-rules")).ShouldContain("\"items\":[]");
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
