using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class ResumeTests
{
    [Fact(Timeout = 60_000)]
    public async Task Resume_NewProcess_SendsEarlierMessages()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.Text("I will remember PINEAPPLE."));
        string sessionId;
        await using (var first = cli.Start())
        {
            await first.SendUserMessageAsync("Remember the word PINEAPPLE");
            sessionId = (await first.ReadTurnAsync())[^1]["session_id"].Str()!;
            first.CloseInput();
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBe(0);
        }

        cli.Api.Enqueue(MockReply.Text("The word was PINEAPPLE."));
        await using var second = cli.Start("--resume", sessionId);
        await second.SendUserMessageAsync("What was the word?");
        var turn = await second.ReadTurnAsync();

        turn[0]["session_id"].Str().ShouldBe(sessionId, "a resumed session keeps its id");
        turn[^1]["result"].Str().ShouldBe("The word was PINEAPPLE.");
        var history = cli.Api.ConversationRequests[^1].Messages.ToJsonString();
        history.ShouldContain("Remember the word PINEAPPLE");
        history.ShouldContain("I will remember PINEAPPLE.");
        history.ShouldContain("What was the word?");
    }
}
