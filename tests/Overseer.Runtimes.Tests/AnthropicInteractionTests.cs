using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>What the anthropic runtime asks of people: questions, plan reviews and phase reviews, as the claude-code runtime does.</summary>
public sealed class AnthropicInteractionTests(AnthropicFixture world) : IClassFixture<AnthropicFixture>, IAsyncLifetime
{
    private const string Question = "Which pricing model should the app use?";

    public Task InitializeAsync()
    {
        world.Api.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> PendingAsync(string kind, string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await world.Client.GetStringAsync($"/api/{kind}?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), $"pending {kind}"))[0];

    [Fact]
    public async Task AskUserQuestion_WaitsForAPerson_AndTheAnswerIsTheToolsResult()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.AskUserQuestion(Question, ["Subscription", "Freemium"], header: "Pricing"));
        world.Api.Enqueue(MockReply.Text("Freemium it is."));
        var id = await world.StartSessionAsync(project, "Ask me about pricing");

        var question = await PendingAsync("questions", id);
        question.GetProperty("questions")[0].GetProperty("question").GetString().ShouldBe(Question);
        question.GetProperty("questions")[0].GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()).ShouldBe(["Subscription", "Freemium"]);
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);
        world.Api.ConversationRequests.Count.ShouldBe(1, "the model waits for the answer");

        (await world.Client.PostJsonAsync($"/api/questions/{question.GetProperty("id").GetString()}/answer",
            JsonSerializer.Serialize(new { answers = new Dictionary<string, string> { [Question] = "Freemium" } }))).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        AnthropicFixture.Blocks(world.Api.ConversationRequests[1]).Single(b => (string?)b["type"] == "tool_result")["content"]!.GetValue<string>()
            .ShouldBe($"Your questions have been answered: \"{Question}\"=\"Freemium\". You can now continue with these answers in mind.");
    }

    [Fact]
    public async Task PlanReview_ChangesRequested_ThenApproved_EachDecisionReachesTheModel()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.ExitPlanMode("# Plan\n1. Build it"));
        world.Api.Enqueue(MockReply.ExitPlanMode("# Plan\n1. Build it\n2. Test it"));
        world.Api.Enqueue(MockReply.Text("Starting."));
        var id = await world.StartSessionAsync(project, "Plan the app");

        var first = await PendingAsync("reviews", id);
        first.GetProperty("kind").GetString().ShouldBe("plan");
        first.GetProperty("plan").GetString().ShouldBe("# Plan\n1. Build it");
        (await world.Client.PostJsonAsync($"/api/reviews/{first.GetProperty("id").GetString()}/request-changes", "{\"feedback\": \"add tests to the plan\"}")).EnsureSuccessStatusCode();

        var second = await Poll.UntilAsync(() => PendingAsync("reviews", id), r => r.GetProperty("id").GetString() != first.GetProperty("id").GetString(), TimeSpan.FromSeconds(30), "the revised plan");
        second.GetProperty("plan").GetString().ShouldBe("# Plan\n1. Build it\n2. Test it");
        var rejected = AnthropicFixture.Blocks(world.Api.ConversationRequests[1]).Single(b => (string?)b["type"] == "tool_result");
        rejected["content"]!.GetValue<string>().ShouldBe("The plan needs changes: add tests to the plan");
        rejected["is_error"]!.GetValue<bool>().ShouldBeTrue();

        (await world.Client.PostJsonAsync($"/api/reviews/{second.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        AnthropicFixture.Blocks(world.Api.ConversationRequests[2]).Last(b => (string?)b["type"] == "tool_result")["content"]!.GetValue<string>()
            .ShouldStartWith("User has approved your plan.");
    }

    [Fact]
    public async Task PhaseComplete_OpensAReviewWithTheDiff_AndItsDecisionIsTheNextMessage()
    {
        var (dir, project) = await world.NewProjectAsync();
        await GitRepo.InitAsync(dir);
        world.Api.Enqueue(MockReply.ToolUse("Write", new { file_path = Path.Combine(dir, "greeting.txt"), content = "hello\n" }));
        world.Api.Enqueue(MockReply.Text("Wrote the greeting.\n=== PHASE 1 COMPLETE ==="));
        world.Api.Enqueue(MockReply.Text("On to phase two."));
        var id = await world.StartSessionAsync(project, "Phase one: write a greeting");

        var pending = await PendingAsync("reviews", id);
        await world.WaitForStatusAsync(id, SessionStatus.Waiting);
        var review = JsonDocument.Parse(await world.Client.GetStringAsync($"/api/reviews/{pending.GetProperty("id").GetString()}")).RootElement;
        review.GetProperty("kind").GetString().ShouldBe("phase");
        review.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ShouldBe(["greeting.txt"]);
        review.GetProperty("diff").GetString()!.ShouldContain("+hello");

        (await world.Client.PostJsonAsync($"/api/reviews/{pending.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "On to phase two.");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        world.Api.ConversationRequests[^1].Messages[^1]!.ToJsonString().ShouldContain("Continue with the next phase");
    }
}
