using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;

namespace Overseer.Core.Tests;

/// <summary>
/// The claude-code reader hands every complete line one read of the pipe brought to the session
/// as one batch (issue 13). A stand-in CLI writes its whole turn at once, so batches are large;
/// several such sessions run together so their appends share the store's transactions.
/// </summary>
public sealed class ClaudeCodeBatchingTests : IAsyncDisposable
{
    private const int Messages = 400;
    private const int ErrorAt = 250;

    // One burst of messages with no pause (so reads bring many lines), an [ERROR] block closed in
    // message ErrorAt (the scanner acts on it mid-batch), then the turn's result.
    private static readonly string Script =
        $$$"""
        #!/bin/sh
        printf '%s\n' '{"type":"system","subtype":"init","session_id":"batch","model":"fake","tools":[]}'
        read -r turn
        i=1
        while [ $i -le {{{Messages}}} ]; do
          if [ $i -eq {{{ErrorAt}}} ]; then
            printf '%s\n' '{"type":"assistant","message":{"content":[{"type":"text","text":"{{{ErrorAt}}}\n[ERROR]\nThe disk is full.\n[/ERROR]"}]}}'
          else
            printf '{"type":"assistant","message":{"content":[{"type":"text","text":"%d"}]}}\n' $i
          fi
          i=$((i+1))
        done
        printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"done","usage":{"input_tokens":1,"output_tokens":1}}'
        read -r never
        """;

    private readonly TempDirectory _temp = new();

    public async ValueTask DisposeAsync()
    {
        _temp.Dispose();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ConcurrentSessions_BurstOfOutputBatched_EveryTextStoredOnceInTheAgentsOrder()
    {
        if (OperatingSystem.IsWindows())
            return; // the stand-in CLI is a POSIX sh script
        await using var engine = await Engine.StartAsync();
        var claude = Path.Combine(_temp.Path, "claude");
        await File.WriteAllTextAsync(claude, Script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(claude, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new ClaudeCodeRuntime(
            Options.Create(new ClaudeCodeOptions { ExecutablePath = claude }),
            Options.Create(new SessionOptions()),
            new AgentSandbox(Options.Create(new SandboxOptions { Mode = SandboxMode.Off }), TimeProvider.System),
            new Overseer.Core.Agents.Mcp.AgentMcpServers(Options.Create(new Overseer.Core.Agents.Mcp.AgentMcpOptions())),
            NullLogger<ClaudeCodeRuntime>.Instance);
        var (manager, _) = engine.AddManager(8, runtimes: runtime);

        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => engine.CreateSessionAsync(manager, ClaudeCodeRuntime.RuntimeName)));
        foreach (var id in ids)
            await engine.WaitForStatusAsync(id, SessionStatus.Idle);

        foreach (var id in ids)
        {
            var events = await engine.EventsAsync(id);
            events.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, events.Count).Select(n => (long)n), $"session {id}: session seq has a gap");
            events.Select(e => e.Seq).ShouldBeInOrder(SortDirection.Ascending);
            var texts = events.Where(e => e.Type == EventTypes.AgentText).Select(e => Engine.Texts([e])[0].Split('\n')[0]).ToList();
            texts.ShouldBe(Enumerable.Range(1, Messages).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"session {id}: texts lost, repeated or reordered");
            // The block the scanner found in a batch's middle is stored right after the text that closed it.
            var error = events.Single(e => e.Type == EventTypes.AgentReportedError);
            var before = events.Last(e => e.Seq < error.Seq && e.Type == EventTypes.AgentText);
            Engine.Texts([before])[0].ShouldStartWith($"{ErrorAt}\n");
            events.First(e => e.Seq > error.Seq && e.Type == EventTypes.AgentText).SessionSeq.ShouldBe(error.SessionSeq + 1);
        }
    }
}
