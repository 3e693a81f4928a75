using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class DependencyTests
{
    private const string Value = "pk_live_51Hx9ExampleSecretValue";

    [Fact]
    public async Task DependencyRequest_ProvidedFromTheApi_ReachesTheToolsEnvironment_AndNothingStoredShowsIt()
    {
        var logs = new CapturingLoggerProvider();
        await using var o = await OverseerHarness.StartAsync(logs: logs);
        o.Api.Enqueue(MockReply.Text("I need a key.\n[DEPENDENCY_REQUEST]\ntype: api_key\nname: PAYMENTS_KEY\ndescription: the payments API key\nrequired: true\n[/DEPENDENCY_REQUEST]"));
        o.Api.Enqueue(MockReply.Bash("printf %s \"$PAYMENTS_KEY\" > key.txt"));
        o.Api.Enqueue(MockReply.Text("Configured."));
        var id = await o.StartSessionAsync("set up payments");

        var waiting = await o.WaitForStatusAsync(id, SessionStatus.Waiting);
        waiting.Pending.Dependencies.ShouldBe(1);
        var dependency = JsonDocument.Parse(await o.Client.GetStringAsync($"/api/dependencies?status=pending&sessionId={id}")).RootElement.GetProperty("items")[0];
        dependency.GetProperty("name").GetString().ShouldBe("PAYMENTS_KEY");
        dependency.GetProperty("type").GetString().ShouldBe("api_key");
        var firstPid = await o.AgentPidAsync(id);

        using var provided = await o.Client.PostJsonAsync($"/api/dependencies/{dependency.GetProperty("id").GetString()}/provide", JsonSerializer.Serialize(new { value = Value }));
        provided.EnsureSuccessStatusCode();
        (await provided.Content.ReadAsStringAsync()).ShouldNotContain(Value);
        await o.WaitForStatusAsync(id, SessionStatus.Idle);

        File.ReadAllText(Path.Combine(o.ProjectDir, "key.txt")).ShouldBe(Value, "the tool ran with the value in its environment");
        (await o.AgentPidAsync(id)).ShouldNotBe(firstPid, "the CLI was restarted with --resume to pick up the new environment");
        var events = await o.Client.GetStringAsync($"/api/sessions/{id}/events?limit=1000");
        events.ShouldNotContain(Value);
        (await o.Client.GetStringAsync("/api/secrets")).ShouldNotContain(Value);
        (await o.Client.GetStringAsync($"/api/sessions/{id}")).ShouldNotContain(Value);
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("set up payments", customMessage: "the resumed CLI kept the conversation");
        logs.Lines.Count.ShouldBeGreaterThan(10, "the server logged at every level during the test");
        logs.Lines.ShouldAllBe(line => !line.Contains(Value));
    }

    /// <summary>A dependency request outlives a restart: still open afterwards, and providing it resumes the CLI, which finds the value.</summary>
    [Fact]
    public async Task DependencyRequest_AcrossARestart_StaysOpen_AndProvidingItResumesTheAgentWithTheValue()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Text("I need a key.\n[DEPENDENCY_REQUEST]\ntype: api_key\nname: PAYMENTS_KEY\ndescription: the payments API key\nrequired: true\n[/DEPENDENCY_REQUEST]"));
        var id = await o.StartSessionAsync("set up payments");
        await o.WaitForStatusAsync(id, SessionStatus.Waiting);

        await o.RestartAsync();

        var held = await o.Client.GetSessionAsync(id);
        held.Status.ShouldBe(SessionStatus.Waiting);
        held.Pending.Dependencies.ShouldBe(1);
        var dependency = JsonDocument.Parse(await o.Client.GetStringAsync($"/api/dependencies?status=pending&sessionId={id}")).RootElement.GetProperty("items")[0];
        o.Api.Enqueue(MockReply.Bash("printf %s \"$PAYMENTS_KEY\" > key.txt"));
        o.Api.Enqueue(MockReply.Text("Configured."));
        using var provided = await o.Client.PostJsonAsync($"/api/dependencies/{dependency.GetProperty("id").GetString()}/provide", JsonSerializer.Serialize(new { value = Value }));
        provided.EnsureSuccessStatusCode();

        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        File.ReadAllText(Path.Combine(o.ProjectDir, "key.txt")).ShouldBe(Value);
        (await o.Client.GetEventsAsync(id)).Last(e => e.Type == EventTypes.AgentStarted).Data.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        var resumed = o.Api.ConversationRequests[^1].BodyText;
        resumed.ShouldContain("set up payments", customMessage: "the resumed CLI kept the conversation");
        resumed.ShouldContain("The dependency PAYMENTS_KEY has been provided");
    }
}
