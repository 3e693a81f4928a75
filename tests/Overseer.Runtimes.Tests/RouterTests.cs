using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.OpenAI;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// The router runtime over a local model (the mock OpenAI-compatible server) and Claude (the mock
/// Messages API): which route a turn takes and why, overrides, a fallback in the middle of a turn
/// that keeps the conversation, and what the CLI offers.
/// </summary>
public sealed class RouterTests(OpenAIFixture world) : IClassFixture<OpenAIFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static List<RuntimeRoutedData> Routed(IEnumerable<EventEnvelope> events) =>
        [.. events.Where(e => e.Type == EventTypes.RuntimeRouted).Select(e => e.Data.Deserialize(OverseerJson.Default.RuntimeRoutedData)!)];

    [Fact]
    public async Task SimpleQuestion_GoesToTheLocalModel_ACodeChange_ToClaude_InOneConversation()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Say("Paris."));
        var id = await world.StartSessionAsync(project, "What is the capital of France?", runtime: "router");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        world.Claude.Enqueue(MockReply.ToolUse("Write", new { file_path = Path.Combine(dir, "app.py"), content = "print('fixed')\n" }));
        world.Claude.Enqueue(MockReply.Text("Fixed app.py."));
        await world.SendAsync(id, "Fix the crash in app.py");
        await world.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Fixed app.py.");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var routed = Routed(await world.EventsAsync(id));
        routed.Count.ShouldBe(2);
        routed[0].ShouldBe(new RuntimeRoutedData("local", "openai", OpenAIFixture.LocalModel, "no rule matched; the default route"));
        routed[1].Target.ShouldBe("claude");
        routed[1].Runtime.ShouldBe("anthropic");
        routed[1].Model.ShouldBe("claude-sonnet-4-5");
        routed[1].Reason.ShouldBe("rule 1: needs tools (the file app.py)");
        world.Local.ChatRequests.Count.ShouldBe(1);
        File.ReadAllText(Path.Combine(dir, "app.py")).ShouldBe("print('fixed')\n");
        // Claude reads the whole conversation, the local model's answer included.
        var claude = world.Claude.ConversationRequests[0];
        claude.Body!["model"]!.GetValue<string>().ShouldBe("claude-sonnet-4-5");
        claude.Messages.Select(m => (string)m!["role"]!).ShouldBe(["user", "assistant", "user"]);
        claude.Messages[1]!.ToJsonString().ShouldContain("Paris.");
        world.Claude.ConversationRequests.Count.ShouldBe(2, "the tool's result went back to Claude, the route of the turn");
        // Each model's usage is priced by its own price table.
        var usages = (await world.EventsAsync(id)).Where(e => e.Type == EventTypes.UsageUpdated).Select(e => e.Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!).ToList();
        usages[0].Model.ShouldBe(OpenAIFixture.LocalModel);
        usages[0].CostUsd.ShouldBe((usages[0].InputTokens * 0.2m + usages[0].OutputTokens * 0.6m) / 1_000_000m);
        usages[1].Model.ShouldBe("claude-sonnet-4-5");
        usages[1].CostUsd.ShouldBe((usages[1].InputTokens * 3m + usages[1].OutputTokens * 15m + usages[1].CacheReadTokens * 0.3m) / 1_000_000m);
    }

    [Fact]
    public async Task AtRouteAtTheStart_OverridesTheRules_AndTheModelReadsTheMessageWithoutIt()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Claude.Enqueue(MockReply.Text("Four."));
        var id = await world.StartSessionAsync(project, "@claude what is 2+2?", runtime: "router");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        Routed(await world.EventsAsync(id)).Single().ShouldBe(new RuntimeRoutedData("claude", "anthropic", "claude-sonnet-4-5", "override @claude in the message"));
        world.Local.ChatRequests.ShouldBeEmpty();
        AnthropicFixture.Blocks(world.Claude.ConversationRequests.Single()).First()["text"]!.GetValue<string>().ShouldBe("what is 2+2?");
    }

    [Fact]
    public async Task LocalFailsMidTurn_FallsBackToClaude_WhichGoesOnWithTheToolResult()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Call("Read", new { file_path = Path.Combine(dir, "notes.txt") }));
        world.Local.Enqueue(MockChatReply.Error(503, "model is loading"));
        world.Claude.Enqueue(MockReply.Text("The notes say hello."));
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "hello\n");
        var id = await world.StartSessionAsync(project, "What do my notes say?", runtime: "router");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        var fallback = events.Single(e => e.Type == EventTypes.RuntimeFallback).Data.Deserialize(OverseerJson.Default.RuntimeFallbackData)!;
        fallback.From.ShouldBe("local");
        fallback.To.ShouldBe("claude");
        fallback.Reason.ShouldBe($"model is loading (status 503 from {world.Local.BaseUrl})");
        events.Last(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("The notes say hello.");
        var claude = world.Claude.ConversationRequests.Single();
        AnthropicFixture.Blocks(claude).Single(b => (string?)b["type"] == "tool_use")["name"]!.GetValue<string>().ShouldBe("Read");
        AnthropicFixture.Blocks(claude).Single(b => (string?)b["type"] == "tool_result")["content"]!.GetValue<string>().ShouldBe("     1\thello");
        events.Count(e => e.Type == EventTypes.SessionIdle).ShouldBe(1, "one turn, finished by Claude");
    }

    [Fact]
    public async Task LocalRateLimited_FallsBackToClaude_SayingSo()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Local.Enqueue(MockChatReply.Error(429, "too many requests", TimeSpan.FromSeconds(30)));
        world.Claude.Enqueue(MockReply.Text("Answered by Claude."));
        var id = await world.StartSessionAsync(project, "What time is it in Tokyo?", runtime: "router");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.ShouldNotContain(e => e.Type == EventTypes.SessionRateLimited, "another route answered: no wait");
        events.Single(e => e.Type == EventTypes.RuntimeFallback).Data.Deserialize(OverseerJson.Default.RuntimeFallbackData)!
            .ShouldBe(new RuntimeFallbackData("local", "claude", $"too many requests (status 429 from {world.Local.BaseUrl})"));
        events.Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Answered by Claude.");

        // overseer attach shows where the turn went and the fallback, in order.
        var attach = await (await LoggedInCliAsync()).RunAsync("attach", id, "--exit-on-idle");
        attach.ExitCode.ShouldBe(0, attach.ToString());
        var routed = attach.Stdout.IndexOf($"⇢ routed to local (openai · {OpenAIFixture.LocalModel}): no rule matched; the default route", StringComparison.Ordinal);
        var fellBack = attach.Stdout.IndexOf($"⇢ fell back from local to claude: too many requests (status 429 from {world.Local.BaseUrl})", StringComparison.Ordinal);
        routed.ShouldBeGreaterThanOrEqualTo(0, attach.Stdout);
        fellBack.ShouldBeGreaterThan(routed, attach.Stdout);
        attach.Stdout.IndexOf("Answered by Claude.", StringComparison.Ordinal).ShouldBeGreaterThan(fellBack);
    }

    private async Task<CliEnvironment> LoggedInCliAsync()
    {
        var cli = new CliEnvironment(Directory.CreateDirectory(Path.Combine(world.TempPath, "home-" + Guid.NewGuid().ToString("N")[..6])).FullName);
        (await cli.RunAsync("login", world.Server.Address.ToString(), "--token", world.Server.Token)).ExitCode.ShouldBe(0);
        return cli;
    }

    [Fact]
    public async Task Cli_RuntimesAndHealth_ListTheRuntimesTheServerHas_WithEachRoutesReadiness()
    {
        var health = await Poll.UntilAsync(async () => JsonDocument.Parse(await world.Client.GetStringAsync("/health")).RootElement.GetProperty("runtimes"),
            r => r.GetProperty("openai").GetString()!.StartsWith("available", StringComparison.Ordinal) && r.GetProperty("router").GetString()!.Contains("route claude", StringComparison.Ordinal)
                && !r.GetProperty("router").GetString()!.Contains("checking", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "openai and router ready");
        health.GetProperty("openai").GetString().ShouldBe($"available: key: {OpenAIFixture.LocalKeySource}; {world.Local.BaseUrl} answers; model {OpenAIFixture.LocalModel} is listed");
        health.GetProperty("router").GetString()!.ShouldEndWith($"; route local (openai · {OpenAIFixture.LocalModel}): ready, key: {OpenAIFixture.LocalKeySource}; {world.Local.BaseUrl} answers; model {OpenAIFixture.LocalModel} is listed");

        var cli = await LoggedInCliAsync();
        var runtimes = await cli.RunAsync("runtimes");
        runtimes.ExitCode.ShouldBe(0, runtimes.ToString());
        runtimes.Stdout.ShouldMatch(@"openai \(default\)\s+ready\s+key: ");
        runtimes.Stdout.ShouldMatch(@"router\s+ready\s+route claude");
        runtimes.Stdout.ShouldMatch(@"anthropic\s+ready");
    }
}
