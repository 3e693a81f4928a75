using System.Net;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class TokensApiTests : ServerTest
{
    private async Task<IReadOnlyList<TokenDto>> ListAsync(HttpClient client, string query = "") =>
        JsonSerializer.Deserialize(await client.GetStringAsync("/api/tokens" + query), OverseerJson.Default.ListResponseTokenDto)!.Items;

    [Fact]
    public async Task Create_ShowsTheTokenOnce_ListsItWithoutItAndRecordsItsLastUse()
    {
        var created = await TestUsers.CreateTokenAsync(Client, """{"name":"ci runner","expiresInDays":30}""");
        created.Token.ShouldStartWith("ovs_");
        created.Info.Name.ShouldBe("ci runner");
        created.Info.Role.ShouldBe(Roles.Owner, "the caller's role by default");
        created.Info.UserName.ShouldBe("admin");
        created.Info.ExpiresAt!.Value.ShouldBe(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromMinutes(1));
        created.Info.LastUsedAt.ShouldBeNull();

        var listed = await Client.GetStringAsync("/api/tokens");
        listed.ShouldNotContain(created.Token);
        (await ListAsync(Client)).Select(t => t.Name).ShouldBe(["ci runner", "admin"]);

        using var client = Server.CreateClient(created.Token);
        (await client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var used = await Poll.UntilAsync(async () => (await ListAsync(Client)).Single(t => t.Id == created.Info.Id),
            t => t.LastUsedAt is not null, what: "the token's last use to be recorded");
        used.LastUsedAt!.Value.ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("""{}""", 400, "INVALID_FIELD", "name")]
    [InlineData("""{"name":"   "}""", 400, "INVALID_FIELD", "name")]
    [InlineData("""{"name":"line\nbreak"}""", 400, "INVALID_FIELD", "name")]
    [InlineData("""{"name":"x","role":"root"}""", 400, "INVALID_FIELD", "role")]
    [InlineData("""{"name":"x","expiresInDays":0}""", 400, "INVALID_FIELD", "expiresInDays")]
    [InlineData("""{"name":"x","expiresAt":"2001-01-01T00:00:00Z"}""", 400, "INVALID_FIELD", "expiresAt")]
    [InlineData("""{"name":"x","expiresAt":"2999-01-01T00:00:00Z","expiresInDays":3}""", 400, "INVALID_FIELD", "expiresAt")]
    [InlineData("""{"name":"x","expiresInDays":"soon"}""", 400, "INVALID_FIELD", "expiresInDays")]
    public async Task Create_BadRequest_IsRefusedNamingTheFieldAndNothingIsStored(string body, int status, string code, string field)
    {
        using var response = await Client.PostJsonAsync("/api/tokens", body);
        ((int)response.StatusCode).ShouldBe(status);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("field").GetString().ShouldBe(field);
        (await ListAsync(Client)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Create_NameTooLong_IsRefused()
    {
        using var response = await Client.PostJsonAsync("/api/tokens", JsonSerializer.Serialize(new { name = new string('n', 65) }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("detail").GetString()!.ShouldContain("64");
    }

    [Fact]
    public async Task Create_RoleAboveTheCallers_IsForbidden()
    {
        var viewer = await TestUsers.CreateTokenAsync(Client, """{"name":"read only","role":"viewer"}""");
        using var client = Server.CreateClient(viewer.Token);
        using var refused = await client.PostJsonAsync("/api/tokens", """{"name":"escalate","role":"operator"}""");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ProblemAsync()).GetProperty("field").GetString().ShouldBe("role");
        // The default is the role the caller acts with: a viewer token mints viewer tokens.
        (await TestUsers.CreateTokenAsync(client, """{"name":"also read only"}""")).Info.Role.ShouldBe(Roles.Viewer);
    }

    [Fact]
    public async Task ListAll_OwnersSeeEveryonesWithNames_OthersAreRefused_AndCannotRevokeOthers()
    {
        var danaToken = await TestUsers.AddAsync(Server, "dana", Roles.Admin);
        using var dana = Server.CreateClient(danaToken);
        (await ListAsync(dana)).Select(t => t.UserName).ShouldBe(["dana"]);
        using (var refused = await dana.GetAsync("/api/tokens?all=true"))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await refused.ProblemAsync()).GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        }
        using (var notHers = await dana.DeleteAsync("/api/tokens/t_admin"))
        {
            notHers.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await notHers.ProblemAsync()).GetProperty("code").GetString().ShouldBe("TOKEN_NOT_FOUND");
        }
        (await Client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var all = await ListAsync(Client, "?all=true");
        all.Select(t => (t.Name, t.UserName)).ShouldBe([("first", "dana"), ("admin", "admin")], ignoreOrder: true);
        (await Client.DeleteAsync("/api/tokens/t_first_dana")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await dana.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ListAsync(Client, "?all=true")).Single(t => t.Id == "t_first_dana").RevokedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task ViewerCeilingToken_CannotApprove_ButCanSeeTheApproval()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "ran" } } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approvalId = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var viewer = await TestUsers.CreateTokenAsync(Client, """{"name":"dashboard on the wall","role":"viewer"}""");
        using var client = Server.CreateClient(viewer.Token);

        (await client.GetAsync($"/api/approvals/{approvalId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var action in new[] { "approve", "deny" })
        {
            using var refused = await client.PostJsonAsync($"/api/approvals/{approvalId}/{action}", "{}");
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await refused.ProblemAsync()).GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        }
        var approval = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals/{approvalId}")).RootElement;
        approval.GetProperty("status").GetString().ShouldBe("pending");
    }
}
