using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class TextReplyTests
{
    [Fact(Timeout = 60_000)]
    public async Task UserMessage_TextReply_EmitsInitAssistantAndResultWithCost()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Text("Hello from the mock."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Say hi");
        var turn = await claude.ReadTurnAsync();

        var init = turn[0];
        init.Is("system", "init").ShouldBeTrue(claude.Transcript);
        init["cwd"].Str().ShouldBe(cli.Project);
        init["claude_code_version"].Str().ShouldBe("2.1.197");
        init["permissionMode"].Str().ShouldBe("default");
        var sessionId = init["session_id"].Str();
        sessionId.ShouldNotBeNullOrEmpty();

        var assistant = turn.Single(m => m.Is("assistant"));
        assistant.Blocks().Single()["text"].Str().ShouldBe("Hello from the mock.");
        assistant["session_id"].Str().ShouldBe(sessionId);

        var result = turn[^1];
        result["subtype"].Str().ShouldBe("success");
        ((bool)result["is_error"]!).ShouldBeFalse();
        result["result"].Str().ShouldBe("Hello from the mock.");
        result["session_id"].Str().ShouldBe(sessionId);
        ((int)result["num_turns"]!).ShouldBe(1);
        ((long)result["usage"]!["input_tokens"]!).ShouldBeGreaterThan(0);
        ((long)result["usage"]!["output_tokens"]!).ShouldBeGreaterThan(0);
        ((long)result["usage"]!["cache_read_input_tokens"]!).ShouldBeGreaterThan(0);
        ((double)result["total_cost_usd"]!).ShouldBeGreaterThan(0);

        var request = cli.Api.ConversationRequests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/v1/messages");
        request.Query.ShouldBe("?beta=true");
        request.Headers["x-api-key"].ShouldBe("sk-test");
        ((bool)request.Body!["stream"]!).ShouldBeTrue();
        request.BodyText.ShouldContain("Say hi");
        cli.Api.Requests.ShouldNotContain(r => r.Kind == MockRequestKind.Side, "no side calls with nonessential traffic disabled");
    }

    [Fact(Timeout = 60_000)]
    public async Task UserMessage_SecondTurn_SendsEarlierMessagesAndKeepsSession()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Text("First answer."));
        cli.Api.Enqueue(MockReply.Text("Second answer."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("First question");
        var first = (await claude.ReadTurnAsync())[^1];
        await claude.SendUserMessageAsync("Second question");
        var second = await claude.ReadTurnAsync();

        second[^1]["result"].Str().ShouldBe("Second answer.");
        second[^1]["session_id"].Str().ShouldBe(first["session_id"].Str());
        var requests = cli.Api.ConversationRequests;
        requests.Count.ShouldBe(2);
        var history = requests[1].Messages.ToJsonString();
        history.ShouldContain("First question");
        history.ShouldContain("First answer.");
        history.ShouldContain("Second question");
    }

    [Fact(Timeout = 60_000)]
    public async Task CloseInput_AfterTurn_ExitsWithCodeZero()
    {
        await using var cli = await CliHarness.CreateAsync();
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Say hi");
        var result = (await claude.ReadTurnAsync())[^1];
        claude.CloseInput();

        result["result"].Str().ShouldBe(MockReply.DefaultText);
        (await claude.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBe(0);
        claude.Stderr.ShouldBeEmpty();
    }
}
