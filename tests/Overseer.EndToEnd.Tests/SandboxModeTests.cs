using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>Where the sandbox cannot run a session refuses to start; only an explicit off runs agents bare, labelled so.</summary>
public sealed class SandboxModeTests
{
    private const string Script =
        """
        #!/bin/sh
        read -r first
        echo '{"type":"system","subtype":"init","session_id":"fake-mode","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        echo '{"type":"result","subtype":"success","is_error":false,"result":"ok","usage":{"input_tokens":1,"output_tokens":1}}'
        read -r next
        """;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task NoBubblewrap_SessionFailsToStartWithTheFix_AndHealthSaysSo()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?> { ["Sandbox:BubblewrapPath"] = "/nonexistent/bwrap" });
        await using var _ = server;

        var id = await FakeAgent.StartSessionAsync(server, projectId, "hello");

        var failed = await server.Client.WaitForStatusAsync(id, SessionStatus.Failed, TimeSpan.FromSeconds(20));
        failed.Reason.ShouldNotBeNull().ShouldContain("sandbox cannot run here");
        failed.Reason.ShouldContain("Sandbox:Mode");
        var health = System.Text.Json.JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement.GetProperty("sandbox");
        health.GetProperty("working").GetBoolean().ShouldBeFalse();
        health.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("/nonexistent/bwrap");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ModeOff_RunsTheAgent_AndEverySurfaceLabelsItUnsandboxed()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?> { ["Sandbox:Mode"] = "Off" });
        await using var _ = server;

        var id = await FakeAgent.StartSessionAsync(server, projectId, "hello");

        var idle = await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(20));
        idle.Sandbox.ShouldBe("off");
        var sandbox = (await server.Client.GetEventsAsync(id)).Single(e => e.Type == EventTypes.AgentSandbox).Data;
        sandbox.GetProperty("mode").GetString().ShouldBe("off");
        System.Text.Json.JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement
            .GetProperty("sandbox").GetProperty("mode").GetString().ShouldBe("off");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task DefaultMode_SessionIsSandboxed_WithTheProjectsNetworkPolicy()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?> { ["Sandbox:Projects:app:Network"] = "None" });
        await using var _ = server;

        var id = await FakeAgent.StartSessionAsync(server, projectId, "hello");

        var idle = await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(20));
        idle.Sandbox.ShouldBe("bubblewrap");
        var sandbox = (await server.Client.GetEventsAsync(id)).Single(e => e.Type == EventTypes.AgentSandbox).Data;
        sandbox.GetProperty("network").GetString().ShouldBe("none");
    }
}
