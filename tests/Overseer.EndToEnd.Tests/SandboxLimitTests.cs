using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// An agent that goes wild inside its sandbox: a fork bomb, a memory hog and a huge file each
/// end in a recorded limit event, while the server and another session carry on. A small
/// script stands in for the CLI so each attack is exact.
/// </summary>
public sealed class SandboxLimitTests
{
    private const string Script =
        """
        #!/bin/bash
        read -r first
        echo '{"type":"system","subtype":"init","session_id":"fake-limits","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        case "$first" in
          *forkbomb*) bomb() { bomb | bomb & }; bomb; sleep 20 ;;
          *memory*) head -c 600M /dev/zero | tail -c 500M > /dev/null ;;
          *bigfile*) head -c 8M /dev/zero > big.bin ;;
        esac
        echo '{"type":"result","subtype":"success","is_error":false,"result":"done","usage":{"input_tokens":1,"output_tokens":1}}'
        read -r next
        """;

    [Theory]
    [InlineData("forkbomb", "processes", 1024)]
    [InlineData("memory", "memory", 128)]
    [InlineData("bigfile", "fileSize", 1024)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Attack_EndsInARecordedLimitEvent_AndOthersKeepWorking(string attack, string limit, int memoryMb)
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script, new Dictionary<string, string?>
        {
            ["Sandbox:Limits:Processes"] = "64",
            // Room for a shell per allowed process, so the fork bomb meets the process limit first.
            ["Sandbox:Limits:MemoryMb"] = memoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:Limits:FileSizeMb"] = "1",
        });
        await using var _ = server;
        var id = await FakeAgent.StartSessionAsync(server, projectId, attack);

        var events = await Poll.UntilAsync(() => server.Client.GetEventsAsync(id), e => e.Any(x => x.Type == EventTypes.AgentLimitReached), TimeSpan.FromSeconds(40), "a limit event");
        events.First(e => e.Type == EventTypes.AgentLimitReached).Data.GetProperty("limit").GetString().ShouldBe(limit);
        var sandbox = events.First(e => e.Type == EventTypes.AgentSandbox).Data;
        sandbox.GetProperty("mode").GetString().ShouldBe("bubblewrap");
        sandbox.GetProperty("limits").GetProperty("processes").GetInt32().ShouldBe(64);

        // The attack is over: the agent ends its turn, and the server takes other work.
        await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(40));
        var other = await server.Client.CreateSessionAsync(projectId, "[{\"say\": \"still here\"}]");
        await server.Client.WaitForStatusAsync(other.Id, SessionStatus.Idle);
        File.Exists(Path.Combine(root.Path, "projects", "app", "big.bin")).ShouldBe(attack == "bigfile");
        if (attack == "bigfile")
            new FileInfo(Path.Combine(root.Path, "projects", "app", "big.bin")).Length.ShouldBeLessThanOrEqualTo(1024 * 1024);
    }
}
