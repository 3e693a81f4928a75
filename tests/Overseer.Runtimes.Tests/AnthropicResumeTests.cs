using System.Text.Json.Nodes;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// The conversation lives in the event log only: after a restart, a hibernation or a compaction,
/// the next call carries the same conversation, rebuilt from the log. (This class restarts its server.)
/// </summary>
public sealed class AnthropicResumeTests(AnthropicFixture world) : IClassFixture<AnthropicFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Api.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The conversation of a request as (role, kind: text) lines, for comparing shapes.</summary>
    private static List<string> Shape(RecordedRequest request) =>
        [.. request.Messages.OfType<JsonObject>().SelectMany(m => ((JsonArray)m["content"]!).OfType<JsonObject>().Select(b =>
            $"{m["role"]}:{b["type"]}:{(string?)b["text"] ?? (string?)b["name"] ?? b["content"]?.ToString()}"))];

    [Fact]
    public async Task RestartMidTurn_ThenResume_ContinuesTheConversationFromTheLog()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.ToolUse("Write", new { file_path = Path.Combine(dir, "a.txt"), content = "one\n" }));
        world.Api.Enqueue(MockReply.Text("Wrote a.txt."));
        var id = await world.StartSessionAsync(project, "Write a.txt");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        world.Api.Enqueue(MockReply.Bash("curl -s https://example.com -o page.html", "fetch"));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"Now fetch the page\"}")).EnsureSuccessStatusCode();
        await world.PendingApprovalAsync(id);

        await world.RestartAsync();
        await world.WaitForStatusAsync(id, SessionStatus.Interrupted);
        world.Api.Enqueue(MockReply.Text("Resumed without the page."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/resume", "{}")).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var last = world.Api.ConversationRequests[^1];
        var shape = Shape(last);
        shape[0].ShouldBe("user:text:Write a.txt");
        shape[1].ShouldBe("assistant:tool_use:Write");
        shape[2].ShouldBe($"user:tool_result:File created successfully at: {Path.Combine(dir, "a.txt")}");
        shape[3].ShouldBe("assistant:text:Wrote a.txt.");
        shape[4].ShouldBe("user:text:Now fetch the page");
        shape[5].ShouldBe("assistant:tool_use:Bash");
        shape[6].ShouldStartWith("user:tool_result:", Case.Sensitive, "the call cut off by the restart is answered");
        shape[^1].ShouldStartWith("user:text:");
        shape[^1].ShouldContain("Continue where you left off.");
        shape.Count(s => s.Contains("Now fetch the page", StringComparison.Ordinal)).ShouldBe(1, "no message is sent twice");
        (await world.EventsAsync(id)).Count(e => e.Type == EventTypes.AgentStarted).ShouldBe(2, "a new connection after the restart");
    }

    [Fact]
    public async Task Hibernated_ThenAMessage_ResumesFromTheLog()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.ThinkThenText("Short question, short answer.", "Four.", "sig-4"));
        var id = await world.StartSessionAsync(project, "What is 2+2?");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/hibernate", "{}")).EnsureSuccessStatusCode();
        await Poll.UntilAsync(() => world.Client.GetSessionAsync(id), s => s.Hibernated, TimeSpan.FromSeconds(10), "hibernated");

        world.Api.Enqueue(MockReply.Text("Eight."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"And 4+4?\"}")).EnsureSuccessStatusCode();
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Eight.");
        Shape(world.Api.ConversationRequests[^1]).ShouldBe(["user:text:What is 2+2?", "assistant:thinking:", "assistant:text:Four.", "user:text:And 4+4?"]);
        AnthropicFixture.Blocks(world.Api.ConversationRequests[^1]).Single(b => (string?)b["type"] == "thinking")["signature"]!.GetValue<string>().ShouldBe("sig-4");
    }

    [Fact]
    public async Task LongConversation_IsCompacted_AndTheSummaryOutlivesARestart()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Text("Noted: PELICAN."));
        var id = await world.StartSessionAsync(project, "Remember the word PELICAN.", AnthropicFixture.SmallModel);
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        // 12,000 characters is about 3,000 tokens: with the system prompt and tools it passes 80 % of the 6,000-token window.
        var big = "Here is a long log to read: " + string.Concat(Enumerable.Repeat("lorem ipsum ", 1000));
        world.Api.Enqueue(MockReply.Text("SUMMARY-1: the user asked to remember PELICAN."));
        world.Api.Enqueue(MockReply.Text("I read the log."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/messages", System.Text.Json.JsonSerializer.Serialize(new { text = big }))).EnsureSuccessStatusCode();
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "I read the log.");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var requests = world.Api.ConversationRequests;
        requests.Count.ShouldBe(3);
        var summarise = requests[1];
        summarise.Body!["tool_choice"]!["type"]!.GetValue<string>().ShouldBe("none");
        summarise.Messages[^1]!.ToJsonString().ShouldContain("write a detailed summary of the conversation");
        summarise.BodyText.ShouldContain("PELICAN");
        summarise.BodyText.ShouldNotContain("lorem ipsum", Case.Sensitive, "the latest message is kept, not summarised");
        var after = requests[2];
        after.BodyText.ShouldNotContain("Remember the word PELICAN.");
        after.Messages[0]!.ToJsonString().ShouldContain("SUMMARY-1: the user asked to remember PELICAN.");
        after.Messages[0]!.ToJsonString().ShouldContain("lorem ipsum");
        var compacted = (await world.EventsAsync(id)).Single(e => e.Type == EventTypes.AgentCompacted).Data;
        compacted.GetProperty("keptEntries").GetInt32().ShouldBe(1);
        compacted.GetProperty("contextWindow").GetInt32().ShouldBe(6000);

        await world.RestartAsync();
        world.Api.Reset();
        world.Api.Enqueue(MockReply.Text("SUMMARY-2"));
        world.Api.Enqueue(MockReply.Text("Still here."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"What was the word?\"}")).EnsureSuccessStatusCode();
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Still here.");
        // Rebuilt from the log, the conversation starts from the first summary; it is still too long, so it is compacted again.
        world.Api.ConversationRequests[0].BodyText.ShouldContain("SUMMARY-1");
        world.Api.ConversationRequests[0].BodyText.ShouldNotContain("Remember the word PELICAN.");
        world.Api.ConversationRequests[^1].Messages[0]!.ToJsonString().ShouldContain("SUMMARY-2");
        world.Api.ConversationRequests[^1].Messages[^1]!.ToJsonString().ShouldContain("What was the word?");
    }
}
