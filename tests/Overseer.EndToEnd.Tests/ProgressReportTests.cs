using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>Seed 003's progress lines written by the real Claude Code CLI become the session's phase and step.</summary>
public sealed class ProgressReportTests
{
    [Fact]
    public async Task PhaseAndStepLines_FromTheRealCli_AreStoredAsProgress_AndTheLastIsTheSessions()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Text("=== PHASE 1 OF 2 START: Plan ===\n[STEP 1/2] Reading the code\nThe parser lives in src/.\n[STEP 90%] Writing the plan\nDone planning."));
        var id = await o.StartSessionAsync("plan the parser work");

        await o.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await o.Client.GetEventsAsync(id);
        var progress = events.Where(e => e.Type is EventTypes.PhaseStarted or EventTypes.StepUpdated).Select(e => e.Data.GetRawText()).ToList();
        progress.ShouldBe([
            """{"phase":"Plan","index":1,"total":2}""",
            """{"phase":"Plan","percent":50,"text":"Reading the code","step":1,"steps":2}""",
            """{"phase":"Plan","percent":90,"text":"Writing the plan"}""",
        ]);
        var session = await o.Client.GetSessionAsync(id);
        (session.Progress!.Phase, session.Progress.PhaseTotal, session.Progress.Percent, session.Progress.Text).ShouldBe(("Plan", 2, 90, "Writing the plan"));
        // The lines stay in the agent's text too: nothing it wrote is dropped.
        events.Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.GetProperty("text").GetString()).ShouldContain(t => t!.Contains("[STEP 90%] Writing the plan"));
    }
}
