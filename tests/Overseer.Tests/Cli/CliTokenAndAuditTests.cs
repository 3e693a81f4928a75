using System.Net;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliTokenAndAuditTests(CliFixture fixture)
{
    private static Dictionary<string, string?> As(string token) => new() { ["OVERSEER_TOKEN"] = token };

    [Fact]
    public async Task Token_CreatePrintsOnlyTheToken_LsListsIt_RevokeRefusesItAtOnce()
    {
        var name = "ci-" + Guid.NewGuid().ToString("N")[..6];
        var create = await fixture.Cli.RunAsync("token", "create", name, "--role", "viewer", "--expires-in-days", "7");
        create.ExitCode.ShouldBe(0, create.ToString());
        var token = create.Stdout.TrimEnd('\n');
        token.ShouldStartWith("ovs_");
        token.Contains('\n').ShouldBeFalse("stdout is the token alone, so $(overseer token create ...) captures it");
        create.Stderr.ShouldContain("only time");

        (await fixture.Cli.RunAsync(["projects", "ls"], environment: As(token))).ExitCode.ShouldBe(0);
        var list = await fixture.Cli.RunAsync("token", "ls", "--json");
        var mine = JsonSerializer.Deserialize(list.Stdout, OverseerJson.Default.IReadOnlyListTokenDto)!.Single(t => t.Name == name);
        mine.Role.ShouldBe(Roles.Viewer);
        list.Stdout.ShouldNotContain(token);
        var table = await fixture.Cli.RunAsync(["token", "ls"], environment: new Dictionary<string, string?> { ["COLUMNS"] = "200" });
        table.Stdout.ShouldContain(name);
        table.Stdout.ShouldContain("active");

        var revoke = await fixture.Cli.RunAsync("token", "revoke", mine.Id);
        revoke.ExitCode.ShouldBe(0, revoke.ToString());
        revoke.Stdout.ShouldBe($"Revoked {mine.Id}\n");
        var refused = await fixture.Cli.RunAsync(["projects", "ls"], environment: As(token));
        refused.ExitCode.ShouldBe(3, refused.ToString());
        (await fixture.Cli.RunAsync("token", "ls")).Stdout.ShouldContain("revoked");
    }

    [Fact]
    public async Task Token_RoleAboveYours_ExitsWithTheServersReason()
    {
        var viewer = (await fixture.Cli.RunAsync("token", "create", "wall", "--role", "viewer")).Stdout.Trim();
        var refused = await fixture.Cli.RunAsync(["token", "create", "escalate", "--role", "owner"], environment: As(viewer));
        refused.ExitCode.ShouldNotBe(0);
        refused.Stdout.ShouldBeEmpty();
        refused.Stderr.ShouldContain("may not be above the role you act with ('viewer')");
    }

    [Fact]
    public async Task Audit_ShowsApprovedByDana_WithFilters()
    {
        var project = await fixture.Client.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "curl https://example.org" }, output = "ran" } } });
        var session = await fixture.Client.CreateSessionAsync(project.Id, script);
        await fixture.Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approvalId = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        var dana = "dana" + Guid.NewGuid().ToString("N")[..4];
        var token = await TestUsers.AddAsync(fixture.Server, dana, Roles.Admin);

        var approve = await fixture.Cli.RunAsync(["approve", approvalId], environment: As(token));
        approve.ExitCode.ShouldBe(0, approve.ToString());

        var audit = await fixture.Cli.RunAsync(["audit", "--user", dana, "--action", "approval", "--since", "1h"],
            environment: new Dictionary<string, string?> { ["COLUMNS"] = "200" });
        audit.ExitCode.ShouldBe(0, audit.ToString());
        audit.Stdout.ShouldContain(dana);
        audit.Stdout.ShouldContain("approval.approved");
        audit.Stdout.ShouldContain("curl https://example.org");
        var json = await fixture.Cli.RunAsync("audit", "--session", session.Id, "--json");
        JsonSerializer.Deserialize(json.Stdout, OverseerJson.Default.IReadOnlyListAuditEntryDto)!
            .ShouldContain(e => e.Action == "approval.approved" && e.By == dana && e.Target == approvalId);
        (await fixture.Cli.RunAsync("audit", "--user", dana, "--action", "question")).Stdout.ShouldNotContain(dana);
        // The session's log names her too.
        (await fixture.Cli.RunAsync("logs", session.Id)).Stdout.ShouldContain($"by {dana}");

        var bad = await fixture.Cli.RunAsync("audit", "--since", "last tuesday");
        bad.ExitCode.ShouldBe(2);
        bad.Stderr.ShouldContain("--since");
    }
}
