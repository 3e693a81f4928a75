using System.Text.Json.Nodes;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class QuestionAndPlanTests
{
    private const string Question = "Which pricing model should the app use?";

    [Fact(Timeout = 60_000)]
    public async Task AskUserQuestion_AllowedWithAnswers_NextRequestCarriesAnswer()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.AskUserQuestion(Question, ["Subscription", "Freemium"], header: "Pricing", id: "toolu_ask"));
        cli.Api.Enqueue(MockReply.Text("Freemium it is."));
        await using var claude = cli.Start();

        await claude.SendUserMessageAsync("Ask me about pricing");
        var request = await claude.ReadUntilTypeAsync("control_request");
        request["request"]!["tool_name"].Str().ShouldBe("AskUserQuestion");
        var input = request["request"]!["input"]!.AsObject();
        var question = input["questions"]![0]!;
        question["question"].Str().ShouldBe(Question);
        question["header"].Str().ShouldBe("Pricing");
        question["options"]!.AsArray().Select(o => o!["label"].Str()).ShouldBe(["Subscription", "Freemium"]);

        var answered = (JsonObject)input.DeepClone();
        answered["answers"] = new JsonObject { [Question] = "Freemium" };
        await claude.AllowAsync(request, answered);
        var turn = await claude.ReadTurnAsync();

        turn.ToolResults().ShouldHaveSingleItem()["content"].Str().ShouldBe(
            $"Your questions have been answered: \"{Question}\"=\"Freemium\". You can now continue with these answers in mind.");
        turn[^1]["result"].Str().ShouldBe("Freemium it is.");
        var followUp = cli.Api.ConversationRequests[1].Messages;
        var toolResult = followUp.OfType<JsonObject>()
            .Where(m => m["role"].Str() == "user")
            .SelectMany(m => m["content"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Single(b => b["type"].Str() == "tool_result" && b["tool_use_id"].Str() == "toolu_ask");
        toolResult.ToJsonString().ShouldContain("Freemium");
    }

    [Fact(Timeout = 60_000)]
    public async Task ExitPlanMode_DeniedThenAllowed_FeedbackReachesAgentAndModeReturnsToDefault()
    {
        await using var cli = await CliHarness.CreateAsync();
        cli.Api.Enqueue(MockReply.ExitPlanMode("# Plan\n1. Build it"));
        cli.Api.Enqueue(MockReply.Text("I will revise the plan."));
        cli.Api.Enqueue(MockReply.ExitPlanMode("# Plan\n1. Build it\n2. Test it"));
        cli.Api.Enqueue(MockReply.Text("Starting."));
        await using var claude = cli.Start("--permission-mode", "plan");

        await claude.SendUserMessageAsync("Plan the app");
        var first = await claude.ReadUntilTypeAsync("control_request");
        first["request"]!["tool_name"].Str().ShouldBe("ExitPlanMode");
        first["request"]!["input"]!["plan"].Str().ShouldBe("# Plan\n1. Build it");
        await claude.DenyAsync(first, "Please add tests to the plan");
        var rejected = await claude.ReadTurnAsync();
        rejected.ToolResults().ShouldHaveSingleItem()["content"].Str().ShouldBe("Please add tests to the plan");

        await claude.SendUserMessageAsync("Try again");
        var second = await claude.ReadUntilTypeAsync("control_request");
        await claude.AllowAsync(second);
        var approved = await claude.ReadTurnAsync();

        // Approving the plan switches the session out of plan mode, announced as system/status.
        approved.ShouldContain(m => m.Is("system", "status") && m["permissionMode"].Str() == "default");
        approved.ToolResults().ShouldHaveSingleItem()["content"].Str()!.ShouldStartWith("User has approved your plan.");
        approved[^1]["result"].Str().ShouldBe("Starting.");
    }
}
