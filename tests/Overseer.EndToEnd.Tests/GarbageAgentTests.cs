using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// Issue 12: a stand-in CLI writes one kind of garbage the fuzzer found, then ends its turn as
/// the real CLI would. Each used to kill the reader and leave the session running forever,
/// holding a slot; now each is an agent.error naming the problem, and the turn ends.
/// </summary>
public sealed class GarbageAgentTests
{
    private const string Init = """{"type":"system","subtype":"init","session_id":"fake-garbage","model":"fake","tools":[],"claude_code_version":"0.0.0"}""";
    private const string Result = """{"type":"result","subtype":"success","is_error":false,"result":"done","usage":{"input_tokens":1,"output_tokens":1}}""";

    // printf '%s\n' keeps backslashes as written; the octal escapes in the format are raw bytes.
    private const string Script =
        $$$"""
        #!/bin/bash
        read -r first
        printf '%s\n' '{{{Init}}}'
        case "$first" in
          *message-number*) printf '%s\n' '{"type":"assistant","message":42}' ;;
          *user-string*) printf '%s\n' '{"type":"user","message":"a string"}' ;;
          *invalid-utf8*) printf '{"type":"assistant","message":{"content":[{"type":"text","text":"bad \303\050\377 bytes"}]}}\n' ;;
          *lone-surrogate*) printf '%s\n' '{"type":"assistant","message":{"content":[{"type":"text","text":"half \ud800 a pair"}]}}' ;;
          *resets-at*) printf '%s\n' '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed","resetsAt":9223372036854775807}}' ;;
          *cost-high*) printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"rich","total_cost_usd":79000000000000000000000000000,"usage":{"input_tokens":1,"output_tokens":1}}'; read -r next; exit 0 ;;
          *cost-low*) printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"poor","total_cost_usd":-79000000000000000000000000000,"usage":{"input_tokens":1,"output_tokens":1}}'; read -r next; exit 0 ;;
          *surrogate-tool*)
            printf '%s\n' '{"type":"control_request","request_id":"req-1","request":{"subtype":"can_use_tool","tool_name":"Bash\udc00","input":{"command":"ls"},"tool_use_id":"t1"}}'
            read -r answer; printf 'answer: %s\n' "$answer" >&2 ;;
          *surrogate-input*)
            printf '%s\n' '{"type":"control_request","request_id":"req-2","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"ls \ud800"},"tool_use_id":"t2"}}'
            read -r answer; printf 'answer: %s\n' "$answer" >&2 ;;
        esac
        printf '%s\n' '{{{Result}}}'
        read -r next
        """;

    [Theory]
    [InlineData("message-number", "malformed_message", "number")]
    [InlineData("user-string", "malformed_message", "string")]
    [InlineData("invalid-utf8", "invalid_text", "not valid Unicode")]
    [InlineData("lone-surrogate", "invalid_text", "not valid Unicode")]
    [InlineData("resets-at", "out_of_range", "9223372036854775807")]
    [InlineData("cost-high", "out_of_range", "cost")]
    [InlineData("cost-low", "out_of_range", "cost")]
    [InlineData("surrogate-tool", "invalid_text", "not valid Unicode")]
    [InlineData("surrogate-input", "invalid_text", "not valid Unicode")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Garbage_IsAnAgentErrorAndTheTurnEnds_AndAnotherSessionRuns(string garbage, string kind, string says)
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script);
        await using var _ = server;
        var id = await FakeAgent.StartSessionAsync(server, projectId, garbage);

        await server.Client.WaitForStatusAsync(id, SessionStatus.Idle, TimeSpan.FromSeconds(20));
        var events = await server.Client.GetEventsAsync(id);
        var error = events.Where(e => e.Type == EventTypes.AgentError).ShouldHaveSingleItem().Data;
        error.GetProperty("kind").GetString().ShouldBe(kind);
        error.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain(says);
        if (garbage.StartsWith("surrogate", StringComparison.Ordinal))
        {
            // The CLI got an answer (it would wait forever otherwise): an error under its request's id.
            var answer = events.Where(e => e.Type == EventTypes.AgentStderr).Select(e => e.Data.GetProperty("text").GetString()!).ShouldHaveSingleItem();
            answer.ShouldContain("\"subtype\":\"error\"");
            answer.ShouldContain(garbage == "surrogate-tool" ? "\"req-1\"" : "\"req-2\"");
        }
        if (garbage.StartsWith("cost", StringComparison.Ordinal))
            events.ShouldNotContain(e => e.Type == EventTypes.UsageUpdated && e.Data.GetProperty("costUsd").GetDecimal() != 0);

        var other = await server.Client.CreateSessionAsync(projectId, "[{\"say\": \"fine\"}]");
        await server.Client.WaitForStatusAsync(other.Id, SessionStatus.Idle);
    }
}
