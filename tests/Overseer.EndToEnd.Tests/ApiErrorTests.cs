using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class ApiErrorTests
{
    [Fact(Timeout = 60_000)]
    public async Task ServerError_ThenSuccess_RetriesAndSucceeds()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Error(500, "api_error", "Internal server error"));
        cli.Api.Enqueue(MockReply.Text("Recovered."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Say hi");
        var turn = await claude.ReadTurnAsync();

        var retry = turn.Single(m => m.Is("system", "api_retry"));
        ((int)retry["attempt"]!).ShouldBe(1);
        ((int)retry["max_retries"]!).ShouldBe(2);
        ((int)retry["error_status"]!).ShouldBe(500);
        retry["error"].Str().ShouldBe("server_error");
        var result = turn[^1];
        result["subtype"].Str().ShouldBe("success");
        ((bool)result["is_error"]!).ShouldBeFalse();
        result["result"].Str().ShouldBe("Recovered.");
        cli.Api.ConversationRequests.Count.ShouldBe(2);
    }

    [Fact(Timeout = 60_000)]
    public async Task RateLimit_RetriesExhausted_ResultIsErrorWithStatus429()
    {
        await using var cli = await CliHarness.CreateAsync();
        // One attempt plus CLAUDE_CODE_MAX_RETRIES (2) retries.
        cli.Api.Enqueue(MockReply.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", TimeSpan.FromMilliseconds(300)), times: 3);
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Say hi");
        var turn = await claude.ReadTurnAsync();

        var retries = turn.Where(m => m.Is("system", "api_retry")).ToList();
        retries.Select(r => (int)r["attempt"]!).ShouldBe([1, 2]);
        retries.ShouldAllBe(r => (int)r["error_status"]! == 429 && r["error"].Str() == "rate_limit");
        // The error is reported as a synthetic assistant message, then a result whose subtype is still "success".
        var synthetic = turn.Single(m => m.Is("assistant"));
        synthetic["message"]!["model"].Str().ShouldBe("<synthetic>");
        synthetic["error"].Str().ShouldBe("rate_limit");
        var result = turn[^1];
        result["subtype"].Str().ShouldBe("success");
        ((bool)result["is_error"]!).ShouldBeTrue();
        ((int)result["api_error_status"]!).ShouldBe(429);
        result["result"].Str()!.ShouldContain("per-minute rate limit");
        cli.Api.ConversationRequests.Count.ShouldBe(3);
    }
}
