using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliDenyTests(CliFixture fixture)
{
    private const string NetworkScript = """
        [{"tool": {"name": "Bash", "input": {"command": "curl https://example.com"}, "output": "fetched"}}, {"say": "Fetched it."}]
        """;

    /// <summary>--hibernate reaches the server, which offers it only once the approval has waited Sessions:HibernateAfter (10 minutes here).</summary>
    [Fact]
    public async Task DenyHibernate_BeforeHibernateAfter_IsRefusedWithWhen_AndAPlainDenyStillWorks()
    {
        var run = await fixture.Cli.RunAsync("run", "fetch", "--script", fixture.Script(NetworkScript));
        run.ExitCode.ShouldBe(0, run.ToString());
        var sessionId = run.Stdout.Trim();
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Waiting);
        var approvalId = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;

        var early = await fixture.Cli.RunAsync("deny", approvalId, "--hibernate");
        early.ExitCode.ShouldNotBe(0, early.ToString());
        early.Stderr.ShouldContain("offered once an approval has waited 00:10:00");
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);

        var denied = await fixture.Cli.RunAsync("deny", approvalId, "--reason", "not now");
        denied.ExitCode.ShouldBe(0, denied.ToString());
        denied.Stdout.Trim().ShouldBe($"{approvalId} denied");
    }
}
