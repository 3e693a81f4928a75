using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

public sealed class AgentEnvironmentTests
{
    // Reports the names of the variables it was given, as one assistant text.
    private const string Script =
        """
        #!/bin/sh
        read -r first
        names=$(env | cut -d= -f1 | grep -E '^(OVERSEER|CONFIGURED_FOR_AGENT)' | sort | tr '\n' ' ')
        echo '{"type":"system","subtype":"init","session_id":"fake-env","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        echo "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\"$names\"}]}}"
        echo '{"type":"result","subtype":"success","is_error":false,"result":"ok","total_cost_usd":0.001,"usage":{"input_tokens":3,"output_tokens":2}}'
        read -r next
        """;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Agent_GetsConfiguredEnvironment_ButNeverOverseersOwnSettings()
    {
        using var root = new TempDirectory();
        // As if the operator had configured Overseer through its environment (the token, say).
        Environment.SetEnvironmentVariable("OVERSEER__TEST_ONLY__SECRET", "must-not-leak");
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?> { ["Sessions:Environment:CONFIGURED_FOR_AGENT"] = "yes" });
        await using var _ = server;
        var id = await FakeAgent.StartSessionAsync(server, projectId, "env");

        await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(20));
        var names = (await server.Client.GetEventsAsync(id)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString()!
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        names.ShouldContain("CONFIGURED_FOR_AGENT");
        names.ShouldContain("OVERSEER_SESSION_ID");
        names.ShouldNotContain(n => n.StartsWith("OVERSEER__", StringComparison.Ordinal));
    }
}
