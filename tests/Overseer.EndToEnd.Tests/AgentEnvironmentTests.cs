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

public sealed class SecretEnvironmentTests
{
    private const string Value = "ghp_0123456789abcdefSECRET";

    // Prints the secret it was given, as an agent carelessly might.
    private const string Script =
        """
        #!/bin/sh
        read -r first
        echo '{"type":"system","subtype":"init","session_id":"fake-secret","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        echo "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\"token=$GITHUB_TOKEN other=${OTHER_SECRET:-none}\"}]}}"
        echo "token $GITHUB_TOKEN" >&2
        echo '{"type":"result","subtype":"success","is_error":false,"result":"ok","usage":{"input_tokens":1,"output_tokens":1}}'
        read -r next
        """;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Secret_GrantedToTheProject_ReachesTheAgentsEnvironment_AndIsRedactedEverywhere()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script);
        await using var _ = server;
        async Task PutAsync(string name, object body)
        {
            using var response = await server.Client.PutAsync($"/api/secrets/{name}", new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
        await PutAsync("GITHUB_TOKEN", new { value = Value, projects = new[] { projectId } });
        var otherProject = await server.Client.CreateProjectAsync(root.Create("projects/other"));
        await PutAsync("OTHER_SECRET", new { value = "only-for-the-other-project", projects = new[] { otherProject.Id } });

        var id = await FakeAgent.StartSessionAsync(server, projectId, "go");
        await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(20));
        var events = await server.Client.GetEventsAsync(id);
        var text = events.Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString();
        text.ShouldBe("token=«secret:GITHUB_TOKEN» other=none");
        var stderr = events.Where(e => e.Type == EventTypes.AgentStderr).Select(e => e.Data.GetProperty("text").GetString()).ToList();
        stderr.ShouldContain("token «secret:GITHUB_TOKEN»");
        events.ShouldAllBe(e => !e.Data.GetRawText().Contains(Value));
    }
}
