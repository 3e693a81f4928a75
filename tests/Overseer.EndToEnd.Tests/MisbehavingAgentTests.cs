using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// An agent executable that writes garbage and dies: its session fails with clear events and
/// the server goes on. (The real CLI never does this on purpose, so a small script stands in.)
/// </summary>
public sealed class MisbehavingAgentTests
{
    private const string Script =
        """
        #!/bin/sh
        read -r first
        echo '{"type":"system","subtype":"init","session_id":"fake-1","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        echo 'this is not json'
        head -c 200000 /dev/zero | tr '\0' 'x'
        echo
        echo '{"type":"brand_new_message","detail":42}'
        echo 'bye' >&2
        exit 3
        """;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task GarbageAndACrash_BecomeErrorEventsAndFailOnlyThatSession()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?> { ["Runtimes:ClaudeCode:MaxLineBytes"] = "65536" });
        await using var _ = server;
        var id = await FakeAgent.StartSessionAsync(server, projectId, "hi");

        var failed = await server.Client.WaitForStatusAsync(id, SessionStatus.Failed, TimeSpan.FromSeconds(20));
        failed.Reason.ShouldNotBeNull().ShouldContain("code 3");
        var events = await server.Client.GetEventsAsync(id);
        var errors = events.Where(e => e.Type == EventTypes.AgentError).Select(e => e.Data.GetProperty("kind").GetString()).ToList();
        errors.ShouldBe(["not_json", "line_too_long"]);
        events.ShouldContain(e => e.Type == EventTypes.AgentRaw && e.Data.GetProperty("type").GetString() == "brand_new_message");
        events.ShouldContain(e => e.Type == EventTypes.AgentStderr && e.Data.GetProperty("text").GetString() == "bye");
        events.Single(e => e.Type == EventTypes.AgentExited).Data.GetProperty("exitCode").GetInt32().ShouldBe(3);

        // The server is unaffected: another session runs.
        var other = await server.Client.CreateSessionAsync(projectId, "[{\"say\": \"fine\"}]");
        await server.Client.WaitForStatusAsync(other.Id, SessionStatus.Idle);
    }
}
