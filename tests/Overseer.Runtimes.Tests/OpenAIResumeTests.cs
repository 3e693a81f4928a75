using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.OpenAI;

namespace Overseer.Runtimes.Tests;

/// <summary>The openai runtime's conversation lives in the event log only: after a restart the next call carries it, rebuilt. (This class restarts its server.)</summary>
public sealed class OpenAIResumeTests(OpenAIFixture world) : IClassFixture<OpenAIFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RestartMidTurn_ThenResume_TheMockReceivesTheConversationRebuiltFromTheLog()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Call("Write", new { file_path = Path.Combine(dir, "a.txt"), content = "one\n" }));
        world.Local.Enqueue(MockChatReply.Say("Wrote a.txt."));
        var id = await world.StartSessionAsync(project, "Write a.txt");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        world.Local.Enqueue(MockChatReply.Call("Bash", new { command = "curl -s https://example.com -o page.html", description = "fetch" }));
        await world.SendAsync(id, "Now fetch the page");
        await world.PendingAsync("approvals", id);

        await world.RestartAsync();
        await world.WaitForStatusAsync(id, SessionStatus.Interrupted);
        world.Local.Enqueue(MockChatReply.Say("Resumed without the page."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/resume", "{}")).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var shape = OpenAIFixture.Shape(world.Local.ChatRequests[^1]);
        shape[0].ShouldStartWith("system:");
        shape[1].ShouldBe("user:Write a.txt");
        shape[2].ShouldBe("assistant:call:Write");
        shape[3].ShouldBe($"tool:File created successfully at: {Path.Combine(dir, "a.txt")}");
        shape[4].ShouldBe("assistant:Wrote a.txt.");
        shape[5].ShouldBe("user:Now fetch the page");
        shape[6].ShouldBe("assistant:call:Bash");
        shape[7].ShouldStartWith("tool:Error: ", Case.Sensitive, "the call cut off by the restart is answered");
        shape[^1].ShouldStartWith("user:");
        shape[^1].ShouldContain("Continue where you left off.");
        shape.Count(s => s.Contains("Now fetch the page", StringComparison.Ordinal)).ShouldBe(1, "no message is sent twice");
        File.ReadAllText(Path.Combine(dir, "a.txt")).ShouldBe("one\n");
        (await world.EventsAsync(id)).Count(e => e.Type == EventTypes.AgentStarted).ShouldBe(2, "a new connection after the restart");
    }
}
