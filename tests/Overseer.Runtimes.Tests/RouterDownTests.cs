using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.OpenAI;

namespace Overseer.Runtimes.Tests;

/// <summary>The local model server is down (nothing listens on its port): the router falls back to Claude, and with Claude down too the turn fails saying why, route by route.</summary>
public sealed class RouterDownTests(RouterDownTests.DownFixture world) : IClassFixture<RouterDownTests.DownFixture>, IAsyncLifetime
{
    /// <summary>The shared world with the openai runtime's endpoint on a closed port.</summary>
    public sealed class DownFixture : OpenAIFixture
    {
        private readonly string _closed = MockOpenAIServer.ClosedPortUrl();

        protected override string LocalUrl => _closed;

        public string ClosedUrl => _closed;
    }

    public Task InitializeAsync()
    {
        world.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LocalServerDown_FallbackIsRecorded_AndTheTurnCompletesOnClaude()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Claude.Enqueue(MockReply.Text("Paris."));
        var id = await world.StartSessionAsync(project, "What is the capital of France?", runtime: "router");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.RuntimeRouted).Data.GetProperty("target").GetString().ShouldBe("local");
        var fallback = events.Single(e => e.Type == EventTypes.RuntimeFallback).Data.Deserialize(OverseerJson.Default.RuntimeFallbackData)!;
        (fallback.From, fallback.To).ShouldBe(("local", "claude"));
        fallback.Reason.ShouldStartWith($"{world.ClosedUrl} could not be reached: ");
        events.Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Paris.");
        var types = events.Select(e => e.Type).ToList();
        types.IndexOf(EventTypes.RuntimeRouted).ShouldBeLessThan(types.IndexOf(EventTypes.RuntimeFallback));
        types.IndexOf(EventTypes.RuntimeFallback).ShouldBeLessThan(types.IndexOf(EventTypes.AgentText));
        var lost = events.Single(e => e.Type == EventTypes.RuntimeFallback).Ts - events.Single(e => e.Type == EventTypes.RuntimeRouted).Ts;
        lost.ShouldBeLessThan(TimeSpan.FromSeconds(1), "a refused connection is known at once: no wait for ConnectTimeout");
    }

    [Fact]
    public async Task BothDown_TheTurnFails_WithAMessageNamingBothRoutes()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Claude.Enqueue(MockReply.Error(500, "api_error", "Internal server error"));
        var id = await world.StartSessionAsync(project, "What is the capital of France?", runtime: "router");
        var failed = await world.WaitForStatusAsync(id, SessionStatus.Failed);

        failed.Reason.ShouldNotBeNull();
        failed.Reason.ShouldStartWith($"Every route failed: local (openai · {OpenAIFixture.LocalModel}): {world.ClosedUrl} could not be reached");
        failed.Reason.ShouldContain("; claude (anthropic · claude-sonnet-4-5): Internal server error (API status 500)");
    }

    [Fact]
    public async Task Health_SaysTheLocalRouteIsUnreachable_AndTheRouterStillReadyOnClaude()
    {
        var router = await Poll.UntilAsync(async () => JsonDocument.Parse(await world.Client.GetStringAsync("/health")).RootElement.GetProperty("runtimes").GetProperty("router").GetString()!,
            d => d.Contains("not reachable", StringComparison.Ordinal) && d.Contains("route claude (anthropic · claude-sonnet-4-5): ready", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the router's readiness");
        router.ShouldStartWith("available: route claude (anthropic · claude-sonnet-4-5): ready, key from Runtimes:Anthropic:ApiKey;");
        router.ShouldContain($"; route local (openai · {OpenAIFixture.LocalModel}): unavailable, key: {OpenAIFixture.LocalKeySource}; not reachable: {world.ClosedUrl} could not be reached: ");
        var openai = JsonDocument.Parse(await world.Client.GetStringAsync("/health")).RootElement.GetProperty("runtimes").GetProperty("openai").GetString()!;
        openai.ShouldStartWith($"unavailable: key: {OpenAIFixture.LocalKeySource}; not reachable: {world.ClosedUrl} could not be reached: ");
    }
}
