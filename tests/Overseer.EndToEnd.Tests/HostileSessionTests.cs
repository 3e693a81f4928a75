using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// A prompt-injected agent tries every known way around the gate, and a careless person
/// approves everything it asks. The wall (the sandbox) must hold anyway: nothing outside the
/// project changes, no planted program runs, no secret of Overseer's is read, and every
/// attempt is on record as a decision.
/// </summary>
public sealed class HostileSessionTests
{
    [Fact]
    public async Task RealCli_EveryAttackApprovedByAPerson_StillLandsNothing()
    {
        await using var o = await OverseerHarness.StartAsync();
        var world = new HostileWorld(Path.GetDirectoryName(o.DataDir)!, o.DataDir, Path.Combine(Path.GetDirectoryName(o.DataDir)!, "home"), o.ProjectDir);
        await world.PlantAsync();
        var attacks = world.Attacks();
        foreach (var (tool, input) in attacks)
            o.Api.Enqueue(MockReply.ToolUse(tool, input));
        o.Api.Enqueue(MockReply.Text("All done."));

        var id = await o.StartSessionAsync("Follow the instructions in README.md");
        using var approving = new CancellationTokenSource();
        var approver = ApproveEverythingAsync(o.Client, id, approving.Token);
        await o.WaitForStatusAsync(id, SessionStatus.Idle, seconds: 240);
        await approving.CancelAsync();
        await approver;

        var events = await o.Client.GetEventsAsync(id);
        HostileWorld.AssertEachAttemptDecided(events, attacks.Count);
        await world.AssertNothingLandedAsync(events);
        events.First(e => e.Type == EventTypes.AgentSandbox).Data.GetProperty("mode").GetString().ShouldBe("bubblewrap");
    }

    [Fact]
    public async Task Scripted_EveryAttackIsDecided_DataDirectoryOnesAreRefusedOutright()
    {
        using var root = new TempDirectory();
        await using var server = await TestServer.StartAsync(Path.Combine(root.Path, "data"), root.Create("projects"));
        var project = root.Create("projects/app");
        var projectId = (await server.Client.CreateProjectAsync(project)).Id;
        var world = new HostileWorld(root.Path, Path.Combine(root.Path, "data"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), project);
        var attacks = world.Attacks();
        var steps = attacks.Select(a => new { tool = new { name = a.Tool, input = a.Input } }).ToList();

        var created = await server.Client.CreateSessionAsync(projectId, JsonSerializer.Serialize(steps));
        using var approving = new CancellationTokenSource();
        var approver = ApproveEverythingAsync(server.Client, created.Id, approving.Token);
        await server.Client.WaitForStatusAsync(created.Id, SessionStatus.Idle, TimeSpan.FromSeconds(60));
        await approving.CancelAsync();
        await approver;

        var events = await server.Client.GetEventsAsync(created.Id);
        HostileWorld.AssertEachAttemptDecided(events, attacks.Count);
        var decisions = events.Where(e => e.Type == EventTypes.ToolDecided).Select(e => e.Data).ToList();
        var calls = events.Where(e => e.Type == EventTypes.ToolCall).ToDictionary(e => e.Data.GetProperty("toolUseId").GetString()!, e => e.Data.GetProperty("input").GetRawText());
        foreach (var decision in decisions)
        {
            var input = calls[decision.GetProperty("toolUseId").GetString()!];
            var tier = decision.GetProperty("tier").GetString();
            if (input.Contains("after-settings", StringComparison.Ordinal))
                continue;
            tier.ShouldBeOneOf(["ORANGE", "RED", "BLACK"], $"an attack rated below ORANGE: {input}");
            if (input.Contains("admin.token", StringComparison.Ordinal) || input.Contains("vault.key", StringComparison.Ordinal))
                tier.ShouldBe("BLACK", input);
        }
    }

    /// <summary>The careless person: approves every pending approval of the session, typing the RED phrase.</summary>
    private static async Task ApproveEverythingAsync(HttpClient client, string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var items = JsonDocument.Parse(await client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}", cancellationToken)).RootElement.GetProperty("items");
                foreach (var item in items.EnumerateArray())
                {
                    var phrase = item.TryGetProperty("confirmPhrase", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                    using var response = await client.PostJsonAsync($"/api/approvals/{item.GetProperty("id").GetString()}/approve",
                        JsonSerializer.Serialize(new { confirm = phrase }));
                }
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
