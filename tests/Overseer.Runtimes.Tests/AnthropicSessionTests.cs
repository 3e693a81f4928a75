using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>The anthropic runtime's conversation: text, thinking, costs, continuation, the API's failures and interrupts.</summary>
public sealed class AnthropicSessionTests(AnthropicFixture world) : IClassFixture<AnthropicFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Api.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Text_IsStreamedIntoTheTranscript_WithUsageAndCostFromThePriceTable()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Text("Hello from **Claude**."));
        var id = await world.StartSessionAsync(project, "Say hello");
        var session = await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Hello from **Claude**.");
        var started = events.Single(e => e.Type == EventTypes.AgentStarted).Data;
        started.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ShouldBe(
            ["Bash", "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "WebFetch", "TodoWrite", "AskUserQuestion", "ExitPlanMode"]);
        started.GetProperty("version").GetString().ShouldBe("13.14.0 (Anthropic .NET SDK)");

        // The mock's usage, priced at claude-sonnet-4-5's list price ($3 in, $15 out, $0.30 cache reads per million).
        var usage = events.Single(e => e.Type == EventTypes.UsageUpdated).Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!;
        usage.Model.ShouldBe("claude-sonnet-4-5");
        usage.InputTokens.ShouldBeGreaterThan(0);
        usage.CacheReadTokens.ShouldBeGreaterThan(0, "the system prompt and tools count as a cache read");
        usage.CostUsd.ShouldBe((usage.InputTokens * 3m + usage.OutputTokens * 15m + usage.CacheReadTokens * 0.3m) / 1_000_000m);
        session.Usage.CostUsd.ShouldBe(usage.CostUsd);

        var request = world.Api.ConversationRequests.Single();
        request.Body!["model"]!.GetValue<string>().ShouldBe("claude-sonnet-4-5");
        request.Body["stream"]!.GetValue<bool>().ShouldBeTrue();
        request.Body["thinking"]!["budget_tokens"]!.GetValue<int>().ShouldBe(2048);
        request.Body["system"]![0]!["cache_control"]!["type"]!.GetValue<string>().ShouldBe("ephemeral", "the system prompt (after the tools) is a cache breakpoint");
        AnthropicFixture.Blocks(request).Last()["cache_control"].ShouldNotBeNull("the conversation's last block is a cache breakpoint");
        request.Headers["Authorization"].ShouldBe("Bearer " + AnthropicFixture.Key, "the Anthropic package sends the key as a bearer token");
    }

    [Fact]
    public async Task Thinking_IsShown_AndGoesBackWithItsSignatureWhileTheModelUsesATool()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Of(new MockThinkingBlock("The user wants a list; I'll track it.", "sig-abc"),
            new MockToolUseBlock("TodoWrite", new JsonObject { ["todos"] = new JsonArray(new JsonObject { ["content"] = "Plan", ["status"] = "in_progress", ["activeForm"] = "Planning" }) }, null)));
        world.Api.Enqueue(MockReply.Text("Planned."));
        var id = await world.StartSessionAsync(project, "Make a plan");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var thinking = (await world.EventsAsync(id)).Single(e => e.Type == EventTypes.AgentThinking).Data;
        thinking.GetProperty("text").GetString().ShouldBe("The user wants a list; I'll track it.");
        thinking.GetProperty("signature").GetString().ShouldBe("sig-abc");
        var second = world.Api.ConversationRequests[1];
        var sent = AnthropicFixture.Blocks(second).Single(b => (string?)b["type"] == "thinking");
        sent["signature"]!.GetValue<string>().ShouldBe("sig-abc");
        AnthropicFixture.Blocks(second).Single(b => (string?)b["type"] == "tool_result")["content"]!.GetValue<string>().ShouldStartWith("Todos have been modified successfully");
    }

    [Fact]
    public async Task AnswerCutOffAtMaxTokens_IsContinued_InTheSameTurn()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Text("The first half of a long answer").WithStopReason("max_tokens"));
        world.Api.Enqueue(MockReply.Text("and its second half."));
        var id = await world.StartSessionAsync(project, "Write a lot");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.GetProperty("text").GetString()).ShouldBe(["The first half of a long answer", "and its second half."]);
        events.Single(e => e.Type == EventTypes.AgentContinued).Data.GetProperty("reason").GetString().ShouldBe("max_tokens");
        events.Count(e => e.Type == EventTypes.SessionIdle).ShouldBe(1, "one turn");
        var second = world.Api.ConversationRequests[1];
        second.Messages[^1]!["role"]!.GetValue<string>().ShouldBe("user");
        second.BodyText.ShouldContain("cut off at the output limit");
        second.Messages[^2]!.ToJsonString().ShouldContain("The first half of a long answer");
    }

    [Fact]
    public async Task RateLimit429_WaitsTheServersRetryAfter_ThenContinuesByItself()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", TimeSpan.FromSeconds(2)));
        world.Api.Enqueue(MockReply.Text("Back after the limit."));
        var before = DateTimeOffset.UtcNow;
        var id = await world.StartSessionAsync(project, "Work");

        var limited = await world.WaitForStatusAsync(id, SessionStatus.RateLimited);
        limited.RateLimitedUntil.ShouldNotBeNull();
        limited.RateLimitedUntil!.Value.ShouldBeInRange(before.AddSeconds(1.5), DateTimeOffset.UtcNow.AddSeconds(3), "the server's retry-after, not the 1 s back-off");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.SessionRateLimited).Data.GetProperty("reason").GetString()!.ShouldContain("per-minute rate limit");
        events.Last(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Back after the limit.");
        world.Api.ConversationRequests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Overloaded529_AndAnOverloadMidStream_AreRateLimits_TheSessionGoesOn()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Error(529, "overloaded_error", "Overloaded", TimeSpan.FromMilliseconds(500)));
        world.Api.Enqueue(MockReply.Of(new MockTextBlock("Started answering"), new MockTextBlock("never sent")).ThenStreamError(1, "overloaded_error", "Overloaded"));
        world.Api.Enqueue(MockReply.Text("Finished at last."));
        var id = await world.StartSessionAsync(project, "Work");
        await Poll.UntilAsync(() => world.EventsAsync(id), e => e.Count(x => x.Type == EventTypes.SessionRateLimited) == 2 && e.Any(x => x.Type == EventTypes.SessionIdle),
            TimeSpan.FromSeconds(30), "two rate limits, then idle");

        var events = await world.EventsAsync(id);
        events.Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.GetProperty("text").GetString()).ShouldBe(["Started answering", "Finished at last."]);
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Idle);
    }

    [Fact]
    public async Task OtherApiError_FailsTheTurn_WithTheApisMessage()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Error(400, "invalid_request_error", "messages.0.content: text content blocks must be non-empty"));
        var id = await world.StartSessionAsync(project, "Work");
        var failed = await world.WaitForStatusAsync(id, SessionStatus.Failed);
        failed.Reason.ShouldNotBeNull().ShouldContain("text content blocks must be non-empty");
        failed.Reason.ShouldContain("400");
    }

    [Fact]
    public async Task Interrupt_MidStream_EndsTheTurnAtOnce_KeepsWhatWasShown_AndTellsTheModelNextTime()
    {
        var (_, project) = await world.NewProjectAsync();
        var longText = string.Concat(Enumerable.Repeat("word ", 400));
        world.Api.Enqueue(MockReply.Of(new MockTextBlock("First paragraph."), new MockTextBlock(longText)).WithDelay(TimeSpan.Zero, TimeSpan.FromMilliseconds(400)));
        var streamed = world.Api.StreamedEvents;
        var id = await world.StartSessionAsync(project, "Talk slowly");
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText);
        // message_start, ping, the first block (start, 3 deltas, stop), then the second block's start and two of its deltas.
        await Poll.UntilAsync(() => Task.FromResult(world.Api.StreamedEvents - streamed), n => n >= 10, TimeSpan.FromSeconds(20), "the second block part-way out");

        var interruptedAt = DateTimeOffset.UtcNow;
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/interrupt", "{}")).EnsureSuccessStatusCode();
        await world.WaitForStatusAsync(id, SessionStatus.Idle, seconds: 10);
        (DateTimeOffset.UtcNow - interruptedAt).ShouldBeLessThan(TimeSpan.FromSeconds(5), "the stream is cut, not read to its end");
        var texts = (await world.EventsAsync(id)).Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.GetProperty("text").GetString()!).ToList();
        texts[0].ShouldBe("First paragraph.");
        texts.Count.ShouldBe(2, "the part of the second block that had streamed is kept");
        longText.ShouldStartWith(texts[1]);
        texts[1].Length.ShouldBeLessThan(longText.Length);

        world.Api.Enqueue(MockReply.Text("Understood."));
        (await world.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"Stop there.\"}")).EnsureSuccessStatusCode();
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Understood.");
        var next = world.Api.ConversationRequests[^1];
        next.Messages[^1]!.ToJsonString().ShouldContain("[Request interrupted by user]");
        next.Messages[^1]!.ToJsonString().ShouldContain("Stop there.");
    }

    [Fact]
    public async Task TheApiKey_IsInNoEventAndNoLogLine()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Bash("echo \"key=$ANTHROPIC_API_KEY\"", "print the key"));
        world.Api.Enqueue(MockReply.Text("Done."));
        var id = await world.StartSessionAsync(project, "Show me your key");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.ShouldNotBeEmpty();
        foreach (var e in events)
            e.Data.GetRawText().ShouldNotContain(AnthropicFixture.Key);
        (await world.ToolResultsAsync(id)).Single().Output.ShouldBe("key=", "the key is not in the agent's environment");
        world.Logs.Lines.ShouldNotBeEmpty();
        world.Logs.Lines.ShouldAllBe(line => !line.Contains(AnthropicFixture.Key));
    }
}
