using System.Diagnostics;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class InterruptTests
{
    [Fact(Timeout = 60_000)]
    public async Task Interrupt_DuringSlowTool_EndsTurnQuicklyWithErrorDuringExecution()
    {
        await using var cli = await CliHarness.CreateAsync();
        // The CLI deems `sleep` read-only, so it runs without a can_use_tool request.
        cli.Api.Enqueue(MockReply.Bash("sleep 30", id: "toolu_sleep"));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Wait a while");
        await claude.ReadUntilAsync(m => m.Is("assistant") && m.Blocks().Any(b => b["type"].Str() == "tool_use"));
        await ProcessTable.WaitForDescendantAsync(claude.Pid, "sleep");
        var clock = Stopwatch.StartNew();
        var interruptId = await claude.InterruptAsync();
        var turn = await claude.ReadTurnAsync(TimeSpan.FromSeconds(15));
        clock.Stop();

        turn.ShouldContain(m => m.Is("control_response") && m["response"]!["request_id"].Str() == interruptId && m["response"]!["subtype"].Str() == "success");
        var toolResult = turn.ToolResults().ShouldHaveSingleItem();
        toolResult["tool_use_id"].Str().ShouldBe("toolu_sleep");
        ((bool)toolResult["is_error"]!).ShouldBeTrue();
        var result = turn[^1];
        result["subtype"].Str().ShouldBe("error_during_execution");
        ((bool)result["is_error"]!).ShouldBeTrue();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        cli.Api.ConversationRequests.Count.ShouldBe(1);

        // The process survives an interrupt and takes the next turn.
        cli.Api.Enqueue(MockReply.Text("Back."));
        await claude.SendUserMessageAsync("Are you there?");
        (await claude.ReadTurnAsync())[^1]["result"].Str().ShouldBe("Back.");
    }

    [Fact(Timeout = 60_000)]
    public async Task Interrupt_DuringSlowStreamingReply_EndsTurnQuickly()
    {
        await using var cli = await CliHarness.CreateAsync();
        // Headers after 0.2 s, then one event every 5 s: the interrupt lands mid-stream.
        cli.Api.Enqueue(MockReply.Text("Too late.").WithDelay(TimeSpan.FromMilliseconds(200), betweenEvents: TimeSpan.FromSeconds(5)));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Think hard");
        await cli.Api.WaitForRequestAsync(r => r.Kind == MockRequestKind.Conversation, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        await claude.InterruptAsync();
        var turn = await claude.ReadTurnAsync(TimeSpan.FromSeconds(15));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        var result = turn[^1];
        ((bool)result["is_error"]!).ShouldBeTrue(claude.Transcript);
        result["subtype"].Str().ShouldBe("error_during_execution");
        turn.ShouldNotContain(m => m.Is("assistant"), "the half-streamed message is dropped");
    }
}
