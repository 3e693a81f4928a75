using System.Net.Http.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private string DataDir => Path.Combine(_temp.Path, "data");
    private string ProjectsRoot => _temp.Create("projects");

    [Fact]
    public async Task KilledServer_OnRestart_InterruptsRunningSessions_KeepsQuestionsOpen_AndAnswersAndFollowUpsResume()
    {
        string sessionId;
        string idleId;
        string queuedId;
        string waitingId;
        await using (var first = await ServerProcess.StartAsync(DataDir, ProjectsRoot, new Dictionary<string, string> { ["OVERSEER__Sessions__MaxConcurrent"] = "1" }))
        {
            using var client = first.CreateClient();
            var project = await client.CreateProjectAsync(_temp.Create("projects/app"));
            idleId = (await client.CreateSessionAsync(project.Id, "[{\"say\": \"quick\"}]")).Id;
            await client.WaitForStatusAsync(idleId, SessionStatus.Idle);
            // Waiting on a person, it gives the only slot up to the long job; the next one queues.
            waitingId = (await client.CreateSessionAsync(project.Id, "[{\"ask\": {\"question\": \"ok?\"}}]")).Id;
            await client.WaitForStatusAsync(waitingId, SessionStatus.Waiting);
            sessionId = (await client.CreateSessionAsync(project.Id, "[{\"say\": \"long job\"}, {\"sleep\": 60000}]")).Id;
            await client.WaitForStatusAsync(sessionId, SessionStatus.Running);
            queuedId = (await client.CreateSessionAsync(project.Id, "[{\"say\": \"my turn\"}]")).Id;
            (await client.GetSessionAsync(queuedId)).Status.ShouldBe(SessionStatus.Queued);
            await first.KillAsync();
        }

        await using var second = await ServerProcess.StartAsync(DataDir, ProjectsRoot);
        using var again = second.CreateClient();
        var interrupted = await again.GetSessionAsync(sessionId);
        interrupted.Status.ShouldBe(SessionStatus.Interrupted);
        interrupted.Reason!.ShouldContain("restarted");
        var last = (await again.GetEventsAsync(sessionId))[^1];
        last.Type.ShouldBe("session.interrupted");
        last.Data.GetProperty("from").GetString().ShouldBe("running");
        (await again.GetSessionAsync(idleId)).Status.ShouldBe(SessionStatus.Idle);
        // What a person was asked outlives the process that asked: still open, still answerable.
        (await again.GetSessionAsync(waitingId)).Status.ShouldBe(SessionStatus.Waiting);
        var waitingQuestions = await again.GetFromJsonAsync("/api/questions?status=pending", OverseerJson.Default.ListResponseQuestionDto);
        var question = waitingQuestions!.Items.ShouldHaveSingleItem();
        question.SessionId.ShouldBe(waitingId);

        // The queued session was never started: after the restart it runs.
        await again.WaitForStatusAsync(queuedId, SessionStatus.Idle);

        (await again.PostJsonAsync($"/api/sessions/{sessionId}/messages", "{\"text\": \"carry on\"}")).EnsureSuccessStatusCode();
        await again.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var events = await again.GetEventsAsync(sessionId);
        events.ShouldContain(e => e.Type == "agent.started" && e.Data.GetProperty("resumed").GetBoolean());
        events.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));

        // Answering resumes the agent's conversation with the answer as its message.
        (await again.PostJsonAsync($"/api/questions/{question.Id}/answer", "{\"answers\": {\"ok?\": \"yes\"}}")).EnsureSuccessStatusCode();
        await again.WaitForStatusAsync(waitingId, SessionStatus.Idle);
        var answered = await again.GetEventsAsync(waitingId);
        answered.ShouldContain(e => e.Type == "agent.started" && e.Data.GetProperty("resumed").GetBoolean());
        answered.Last(e => e.Type == "agent.text").Data.GetProperty("text").GetString()!.ShouldContain("Answer to your question \"ok?\": yes");
    }

    [Fact]
    public async Task Sigterm_StopsGracefully_InterruptsRunningSessions_AndExitsZero()
    {
        string sessionId;
        long lastSeq;
        await using (var server = await ServerProcess.StartAsync(DataDir, ProjectsRoot))
        {
            using var client = server.CreateClient();
            var project = await client.CreateProjectAsync(_temp.Create("projects/app"));
            sessionId = (await client.CreateSessionAsync(project.Id, "[{\"say\": \"long job\"}, {\"sleep\": 60000}]")).Id;
            // Once the agent has spoken it is in its long sleep: nothing more is stored until the signal.
            var events = await Poll.UntilAsync(() => client.GetEventsAsync(sessionId), e => e.Any(x => x.Type == "agent.text"));
            lastSeq = events[^1].Seq;
            (await server.TerminateAsync(TimeSpan.FromSeconds(20))).ShouldBe(0, server.Output);
        }

        await using var restarted = await ServerProcess.StartAsync(DataDir, ProjectsRoot);
        using var again = restarted.CreateClient();
        var session = await again.GetSessionAsync(sessionId);
        session.Status.ShouldBe(SessionStatus.Interrupted);
        session.Reason!.ShouldContain("stopped");
        (await again.GetEventsAsync(sessionId, lastSeq)).Select(e => e.Type).ShouldBe(["session.interrupted"]);
    }

    public void Dispose() => _temp.Dispose();
}
