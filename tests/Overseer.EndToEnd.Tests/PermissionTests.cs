using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class PermissionTests
{
    [Fact(Timeout = 60_000)]
    public async Task CanUseTool_Allowed_RunsCommandAndReturnsToolResult()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Bash("touch made-by-agent.txt", id: "toolu_touch"));
        cli.Api.Enqueue(MockReply.Text("Created it."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Create the file");
        var request = await claude.ReadUntilTypeAsync("control_request");
        request["request"]!["subtype"].Str().ShouldBe("can_use_tool");
        request["request"]!["tool_name"].Str().ShouldBe("Bash");
        request["request"]!["tool_use_id"].Str().ShouldBe("toolu_touch");
        request["request"]!["input"]!["command"].Str().ShouldBe("touch made-by-agent.txt");
        File.Exists(Path.Combine(cli.Project, "made-by-agent.txt")).ShouldBeFalse("nothing runs before the host allows it");

        await claude.AllowAsync(request);
        var turn = await claude.ReadTurnAsync();

        var toolResult = turn.ToolResults().ShouldHaveSingleItem();
        toolResult["tool_use_id"].Str().ShouldBe("toolu_touch");
        ((bool)toolResult["is_error"]!).ShouldBeFalse();
        File.Exists(Path.Combine(cli.Project, "made-by-agent.txt")).ShouldBeTrue();
        var result = turn[^1];
        result["subtype"].Str().ShouldBe("success");
        result["result"].Str().ShouldBe("Created it.");
        ((int)result["num_turns"]!).ShouldBe(2);
        cli.Api.ConversationRequests.Count.ShouldBe(2);
        cli.Api.ConversationRequests[1].Messages.ToJsonString().ShouldContain("\"tool_use_id\":\"toolu_touch\"");
    }

    [Fact(Timeout = 60_000)]
    public async Task CanUseTool_Denied_ToolResultCarriesMessage()
    {
        await using var cli = await CliHarness.CreateAsync();
        Directory.CreateDirectory(Path.Combine(cli.Project, "build"));
        cli.Api.Enqueue(MockReply.Bash("rm -rf build", id: "toolu_rm"));
        cli.Api.Enqueue(MockReply.Text("Understood."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Clean the build");
        var request = await claude.ReadUntilTypeAsync("control_request");
        await claude.DenyAsync(request, "Denied by policy: tier BLACK");
        var turn = await claude.ReadTurnAsync();

        var toolResult = turn.ToolResults().ShouldHaveSingleItem();
        toolResult["content"].Str().ShouldBe("Denied by policy: tier BLACK");
        ((bool)toolResult["is_error"]!).ShouldBeTrue();
        Directory.Exists(Path.Combine(cli.Project, "build")).ShouldBeTrue();
        var result = turn[^1];
        result["subtype"].Str().ShouldBe("success");
        var denial = result["permission_denials"]!.AsArray().ShouldHaveSingleItem()!;
        denial["tool_name"].Str().ShouldBe("Bash");
        denial["tool_use_id"].Str().ShouldBe("toolu_rm");
        cli.Api.ConversationRequests[1].Messages.ToJsonString().ShouldContain("Denied by policy: tier BLACK");
    }

    [Fact(Timeout = 60_000)]
    public async Task CloseInput_WhilePermissionPending_ToolFailsAndCliExits()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Bash("touch never.txt"));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Create the file");
        await claude.ReadUntilTypeAsync("control_request");
        claude.CloseInput();
        var turn = await claude.ReadTurnAsync();

        var toolResult = turn.ToolResults().ShouldHaveSingleItem();
        toolResult["content"].Str().ShouldBe("Tool permission request failed: Error: Tool permission stream closed before response received");
        ((bool)toolResult["is_error"]!).ShouldBeTrue();
        File.Exists(Path.Combine(cli.Project, "never.txt")).ShouldBeFalse();
        (await claude.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBe(0);
    }
}
