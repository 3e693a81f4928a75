using System.Net;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class AuditApiTests : ServerTest
{
    private static async Task<ListResponse<AuditEntryDto>> AuditAsync(HttpClient client, string query = "") =>
        JsonSerializer.Deserialize(await client.GetStringAsync("/api/audit" + query), OverseerJson.Default.ListResponseAuditEntryDto)!;

    private async Task<(string ProjectId, string SessionId, string ApprovalId)> PendingApprovalAsync()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "ran" } } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approvalId = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        return (project.Id, session.Id, approvalId);
    }

    [Fact]
    public async Task Approval_ByDana_IsInTheEventAndTheAuditWithHerTokenAndFiltersFindIt()
    {
        var (projectId, sessionId, approvalId) = await PendingApprovalAsync();
        var first = await TestUsers.AddAsync(Server, "dana", Roles.Admin);
        using var setup = Server.CreateClient(first);
        var laptop = await TestUsers.CreateTokenAsync(setup, """{"name":"laptop"}""");
        using var dana = Server.CreateClient(laptop.Token);

        (await dana.PostJsonAsync($"/api/approvals/{approvalId}/approve", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var decided = (await Client.GetEventsAsync(sessionId)).Single(e => e.Type == EventTypes.ApprovalDecided);
        decided.Actor.ShouldBe("dana");
        var data = decided.Data.Deserialize(OverseerJson.Default.ApprovalDecidedData)!;
        (data.By, data.ByUserId, data.TokenId).ShouldBe(("dana", "u_dana", laptop.Info.Id));

        var entry = (await AuditAsync(Client, "?user=dana&action=approval")).Items.ShouldHaveSingleItem();
        entry.Action.ShouldBe("approval.approved");
        entry.By.ShouldBe("dana");
        entry.ByUserId.ShouldBe("u_dana");
        entry.TokenId.ShouldBe(laptop.Info.Id);
        entry.ProjectId.ShouldBe(projectId);
        entry.SessionId.ShouldBe(sessionId);
        entry.Target.ShouldBe(approvalId);
        entry.Detail!.ShouldContain("curl https://example.com");

        (await AuditAsync(Client, "?user=u_dana&action=approval.approved")).Items.Count.ShouldBe(1);
        (await AuditAsync(Client, $"?project={projectId}&session={sessionId}&action=approval")).Items.Count.ShouldBe(1);
        (await AuditAsync(Client, "?user=admin&action=approval")).Items.ShouldBeEmpty();
        (await AuditAsync(Client, "?user=dana&action=approval.denied")).Items.ShouldBeEmpty();
        (await AuditAsync(Client, "?project=p_elsewhere")).Items.ShouldBeEmpty();
        (await AuditAsync(Client, $"?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}")).Items.ShouldBeEmpty();
        (await AuditAsync(Client, $"?until={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"))}")).Items.ShouldBeEmpty();
        // The session itself was started by the admin, and dana's token was made by dana.
        (await AuditAsync(Client, "?action=session.created")).Items.ShouldHaveSingleItem().By.ShouldBe("admin");
        (await AuditAsync(Client, "?user=dana&action=token")).Items.ShouldHaveSingleItem().Target.ShouldBe(laptop.Info.Id);
    }

    [Fact]
    public async Task Audit_IsNewestFirstAndPagesWithACursor()
    {
        var (_, sessionId, approvalId) = await PendingApprovalAsync();
        (await Client.PostJsonAsync($"/api/approvals/{approvalId}/deny", """{"reason":"not today"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.PostAsync($"/api/sessions/{sessionId}/close", null)).IsSuccessStatusCode.ShouldBeTrue();
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Completed);

        var all = (await AuditAsync(Client, $"?session={sessionId}")).Items;
        // The prompt is the first message the person sent.
        all.Select(e => e.Action).ShouldBe(["session.completed", "approval.denied", "user.message", "session.created"]);
        all[1].Detail!.ShouldContain("not today");

        var page = await AuditAsync(Client, $"?session={sessionId}&limit=3");
        page.Items.Count.ShouldBe(3);
        var rest = await AuditAsync(Client, $"?session={sessionId}&limit=3&cursor={page.Next}");
        rest.Items.Select(e => e.Action).ShouldBe(["session.created"]);
        rest.Next.ShouldBeNull();
    }

    [Fact]
    public async Task Audit_ViewerSeesOnlyTheProjectsTheyAreAMemberOf()
    {
        var (mine, _, _) = await PendingApprovalAsync();
        var (other, _, _) = await PendingApprovalAsync();
        var token = await TestUsers.AddAsync(Server, "vic", Roles.Viewer, mine);
        using var vic = Server.CreateClient(token);

        var seen = (await AuditAsync(vic)).Items;
        seen.ShouldNotBeEmpty();
        seen.ShouldAllBe(e => e.ProjectId == mine);
        (await AuditAsync(vic, $"?project={other}")).Items.ShouldBeEmpty();
        (await AuditAsync(Client, $"?project={other}")).Items.ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=12", "until")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task Audit_BadParameter_400NamingIt(string query, string field)
    {
        using var response = await Client.GetAsync("/api/audit?" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe(field);
    }
}
