using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.OpenAI;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// The openai runtime end to end through the real server against a mock OpenAI-compatible server:
/// text and costs, tools at the gate, a RED call, a question, rate limits, failures, interrupts and
/// plain chat for a model without tools.
/// </summary>
public sealed class OpenAISessionTests(OpenAIFixture world) : IClassFixture<OpenAIFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Text_IsStreamedIntoTheTranscript_WithUsageAndCost_AndTheKeyOnlyInTheHeader()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Say("Hello from a **local** model.") with { CachedTokens = 40 });
        var id = await world.StartSessionAsync(project, "Say hello");
        var session = await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Hello from a **local** model.", "three streamed pieces, put together");
        var started = events.Single(e => e.Type == EventTypes.AgentStarted).Data;
        started.GetProperty("model").GetString().ShouldBe(OpenAIFixture.LocalModel);
        started.GetProperty("tools").GetArrayLength().ShouldBe(11);
        var usage = events.Single(e => e.Type == EventTypes.UsageUpdated).Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!;
        usage.CacheReadTokens.ShouldBe(40);
        usage.InputTokens.ShouldBeGreaterThan(0);
        usage.CostUsd.ShouldBe((usage.InputTokens * 0.2m + usage.OutputTokens * 0.6m) / 1_000_000m, "the price table; no price set for cached tokens");
        session.Usage.CostUsd.ShouldBe(usage.CostUsd);

        var request = world.Local.ChatRequests.Single();
        request.Body!["model"]!.GetValue<string>().ShouldBe(OpenAIFixture.LocalModel);
        request.Body["stream"]!.GetValue<bool>().ShouldBeTrue();
        request.Body["stream_options"]!["include_usage"]!.GetValue<bool>().ShouldBeTrue();
        request.Tools.Select(t => (string)t!["function"]!["name"]!).ShouldBe(
            ["Bash", "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "WebFetch", "TodoWrite", "AskUserQuestion", "ExitPlanMode"]);
        OpenAIFixture.Shape(request)[0].ShouldStartWith("system:");
        OpenAIFixture.Shape(request)[1..].ShouldBe(["user:Say hello"]);
        request.Headers["Authorization"].ShouldBe("Bearer " + OpenAIFixture.Key);
        events.ShouldAllBe(e => !e.Data.GetRawText().Contains(OpenAIFixture.Key));
        world.Logs.Lines.ShouldAllBe(line => !line.Contains(OpenAIFixture.Key));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ToolHeldAtTheGate_ApprovedRuns_DeniedChangesNothing_AndTheModelReadsTheResult(bool approve)
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.SayThenCall("I'll fetch it.", "Bash", new { command = "printf made > made.txt; curl -s https://example.com -o page.html", description = "fetch the page" }));
        world.Local.Enqueue(MockChatReply.Say("Done."));
        var id = await world.StartSessionAsync(project, "Fetch the page");

        var approval = await world.PendingAsync("approvals", id);
        approval.GetProperty("tool").GetString().ShouldBe("Bash");
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);
        await world.DecideAsync(approval, approve, approve ? "{}" : "{\"reason\": \"no network today\"}");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        File.Exists(Path.Combine(dir, "made.txt")).ShouldBe(approve);
        var result = (await world.ToolResultsAsync(id)).Single();
        var second = world.Local.ChatRequests[1];
        var call = second.Messages.OfType<JsonObject>().Single(m => m["tool_calls"] is not null);
        ((string?)call["content"]).ShouldBe("I'll fetch it.");
        var callId = (string)call["tool_calls"]![0]!["id"]!;
        var answer = second.Messages.OfType<JsonObject>().Single(m => (string?)m["role"] == "tool");
        ((string)answer["tool_call_id"]!).ShouldBe(callId);
        if (!approve)
        {
            result.IsError.ShouldBeTrue();
            ((string)answer["content"]!).ShouldBe("Error: " + result.Output);
            result.Output.ShouldContain("no network today");
        }
    }

    [Fact]
    public async Task RedCall_NeedsItsPhrase_ThenRuns()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Call("Bash", new { command = "git reset --hard HEAD~3", description = "undo three commits" }));
        world.Local.Enqueue(MockChatReply.Say("Reset."));
        var id = await world.StartSessionAsync(project, "Undo it");

        var approval = await world.PendingAsync("approvals", id);
        approval.GetProperty("tier").GetString().ShouldBe("RED");
        using (var wrong = await world.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{\"confirm\": \"sure\"}"))
            wrong.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        await world.DecideAsync(approval, approve: true, JsonSerializer.Serialize(new { confirm = approval.GetProperty("confirmPhrase").GetString() }));
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        (await world.ToolResultsAsync(id)).Single().Output.ShouldContain("not a git repository", Case.Sensitive, "it ran");
        Directory.Exists(dir).ShouldBeTrue();
    }

    [Fact]
    public async Task AskUserQuestion_WaitsForAPerson_AndTheAnswerIsTheToolMessage()
    {
        const string question = "Which database?";
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Call("AskUserQuestion", new
        {
            questions = new[] { new { question, header = "DB", multiSelect = false, options = new[] { new { label = "SQLite", description = "file" }, new { label = "Postgres", description = "server" } } } },
        }));
        world.Local.Enqueue(MockChatReply.Say("SQLite then."));
        var id = await world.StartSessionAsync(project, "Ask me");

        var pending = await world.PendingAsync("questions", id);
        pending.GetProperty("questions")[0].GetProperty("question").GetString().ShouldBe(question);
        world.Local.ChatRequests.Count.ShouldBe(1, "the model waits for the answer");
        (await world.Client.PostJsonAsync($"/api/questions/{pending.GetProperty("id").GetString()}/answer",
            JsonSerializer.Serialize(new { answers = new Dictionary<string, string> { [question] = "SQLite" } }))).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        var tool = world.Local.ChatRequests[1].Messages.OfType<JsonObject>().Single(m => (string?)m["role"] == "tool");
        ((string)tool["content"]!).ShouldBe($"Your questions have been answered: \"{question}\"=\"SQLite\". You can now continue with these answers in mind.");
    }

    [Fact]
    public async Task RateLimit429_WaitsTheServersRetryAfter_ThenContinuesByItself()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Error(429, "Too many requests: slow down", TimeSpan.FromSeconds(2)));
        world.Local.Enqueue(MockChatReply.Say("Back after the limit."));
        var before = DateTimeOffset.UtcNow;
        var id = await world.StartSessionAsync(project, "Work");

        var limited = await world.WaitForStatusAsync(id, SessionStatus.RateLimited);
        limited.RateLimitedUntil!.Value.ShouldBeInRange(before.AddSeconds(1.5), DateTimeOffset.UtcNow.AddSeconds(3), "the server's Retry-After, not the 1 s back-off");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.SessionRateLimited).Data.GetProperty("reason").GetString()!.ShouldContain("slow down");
        events.Last(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Back after the limit.");
    }

    [Fact]
    public async Task ServerError_FailsTheTurn_WithTheServersMessageAndStatus()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Error(500, "model failed to load: out of memory"));
        var id = await world.StartSessionAsync(project, "Work");
        var failed = await world.WaitForStatusAsync(id, SessionStatus.Failed);
        failed.Reason.ShouldNotBeNull().ShouldContain("model failed to load: out of memory (status 500 from " + world.Local.BaseUrl + ")");
    }

    [Fact]
    public async Task Interrupt_MidStream_EndsTheTurnAtOnce_KeepsWhatWasShown_AndTellsTheModelNextTime()
    {
        var (_, project) = await world.NewProjectAsync();
        var longText = string.Concat(Enumerable.Repeat("word ", 200));
        world.Local.Enqueue(MockChatReply.Say(longText).WithDelay(TimeSpan.Zero, TimeSpan.FromMilliseconds(300)) with { Pieces = 40 });
        var chunks = world.Local.StreamedChunks;
        var id = await world.StartSessionAsync(project, "Talk slowly");
        await Poll.UntilAsync(() => Task.FromResult(world.Local.StreamedChunks - chunks), n => n >= 4, TimeSpan.FromSeconds(20), "a few pieces out");

        var interruptedAt = DateTimeOffset.UtcNow;
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/interrupt", "{}")).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle, seconds: 10);
        (DateTimeOffset.UtcNow - interruptedAt).ShouldBeLessThan(TimeSpan.FromSeconds(5), "the stream is cut, not read to its end");
        var shown = (await world.EventsAsync(id)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString()!;
        longText.ShouldStartWith(shown);
        shown.Length.ShouldBeLessThan(longText.Length);

        world.Local.Enqueue(MockChatReply.Say("Understood."));
        await world.SendAsync(id, "Stop there.");
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Understood.");
        var last = OpenAIFixture.Shape(world.Local.ChatRequests[^1]);
        last[^2].ShouldBe("assistant:" + shown);
        last[^1].ShouldContain("[Request interrupted by user]");
        last[^1].ShouldContain("Stop there.");
    }

    [Fact]
    public async Task ModelWithoutTools_IsAskedAgainInPlainChat_AndStaysThere()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Error(400, "registry.ollama.ai/library/llama3.2:3b does not support tools"));
        world.Local.Enqueue(MockChatReply.Say("Paris."));
        world.Local.Enqueue(MockChatReply.Say("Berlin."));
        var id = await world.StartSessionAsync(project, "Capital of France?", model: "llama3.2:3b");
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Paris.");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        await world.SendAsync(id, "And of Germany?");
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Berlin.");

        var requests = world.Local.ChatRequests;
        requests.Count.ShouldBe(3);
        requests[0].Tools.Count.ShouldBe(11);
        requests[1].Tools.ShouldBeEmpty("plain chat: no tools");
        requests[1].Body!["tool_choice"].ShouldBeNull();
        requests[2].Tools.ShouldBeEmpty("the model stays in plain chat");
        OpenAIFixture.Shape(requests[2])[1..].ShouldBe(["user:Capital of France?", "assistant:Paris.", "user:And of Germany?"]);
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Idle);
    }
}
