using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

public sealed class ProjectionTests : IAsyncLifetime
{
    private TestStore _t = null!;

    public async Task InitializeAsync() => _t = await TestStore.OpenAsync();

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private IReadModel ReadModel => _t.ReadModel;

    private async Task<SessionDto> SessionAsync(string id) => (await ReadModel.GetSessionAsync(id)).ShouldNotBeNull();

    private async Task<EventEnvelope> AppendOneAsync(NewEvent e) => (await _t.AppendAsync(e)).Single();

    [Fact]
    public async Task ProjectCreatedAndDeleted_UpdateTheProjectList()
    {
        var one = await AppendOneAsync(ProjectCreated("p1", "/work/one", "One"));
        await AppendOneAsync(ProjectCreated("p2", "/work/two", "Two"));

        (await ReadModel.GetProjectAsync("p1")).ShouldBe(new ProjectDto("p1", "One", "/work/one", one.Ts));
        (await ReadModel.ListProjectsAsync()).Select(p => p.Id).ShouldBe(["p1", "p2"]);

        await AppendOneAsync(ProjectDeleted("p1"));

        (await ReadModel.GetProjectAsync("p1")).ShouldBeNull();
        (await ReadModel.ListProjectsAsync()).Select(p => p.Id).ShouldBe(["p2"]);
    }

    [Fact]
    public async Task SessionCreated_AddsAQueuedSessionWithItsRequest()
    {
        var created = await AppendOneAsync(SessionCreated("s1", "p1", "Fix the bug.", priority: 7, model: "opus"));

        var session = await SessionAsync("s1");

        session.ShouldBe(new SessionDto("s1", "p1", "Fix the bug.", "scripted", "opus", Queued, created.Ts, null, null,
            new UsageDto(0, 0, 0m), new PendingDto(0, 0, 0, 0), 7, null, null, null, Title: "Fix the bug."));
        (await ReadModel.GetSessionAsync("s_unknown")).ShouldBeNull();
    }

    [Fact]
    public async Task StateChanges_UpdateStatusReasonAndStartAndEndTimes()
    {
        await AppendOneAsync(SessionCreated("s1", "p1"));
        await AppendOneAsync(State("s1", null, Queued));
        await AppendOneAsync(State("s1", Queued, Starting));
        (await SessionAsync("s1")).StartedAt.ShouldBeNull();

        var running = await AppendOneAsync(State("s1", Starting, Running));
        var afterRunning = await SessionAsync("s1");
        afterRunning.Status.ShouldBe(Running);
        afterRunning.StartedAt.ShouldBe(running.Ts);

        await AppendOneAsync(State("s1", Running, Idle, "turn finished"));
        var idle = await SessionAsync("s1");
        idle.Status.ShouldBe(Idle);
        idle.Reason.ShouldBe("turn finished");
        idle.EndedAt.ShouldBeNull();

        await AppendOneAsync(State("s1", Idle, Running));
        (await SessionAsync("s1")).StartedAt.ShouldBe(running.Ts);

        var failed = await AppendOneAsync(State("s1", Running, Failed, error: "the agent crashed"));
        var afterFailed = await SessionAsync("s1");
        afterFailed.Status.ShouldBe(Failed);
        afterFailed.Reason.ShouldBe("the agent crashed");
        afterFailed.EndedAt.ShouldBe(failed.Ts);

        var completed = await AppendOneAsync(State("s1", Failed, Completed, "closed by me"));
        var afterCompleted = await SessionAsync("s1");
        afterCompleted.Status.ShouldBe(Completed);
        afterCompleted.Reason.ShouldBe("closed by me");
        afterCompleted.EndedAt.ShouldBe(completed.Ts);
    }

    [Fact]
    public async Task StateChange_RateLimited_RecordsUntilAndClearsItOnResume()
    {
        var until = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await _t.AppendAsync(SessionCreated("s1", "p1"), State("s1", null, Queued), State("s1", Queued, Starting), State("s1", Starting, Running));

        await AppendOneAsync(State("s1", Running, RateLimited, "429", until: until));
        var limited = await SessionAsync("s1");
        limited.Status.ShouldBe(RateLimited);
        limited.RateLimitedUntil.ShouldBe(until);

        await AppendOneAsync(new NewEvent("s1", EventTypes.SessionResumed, Actor,
            System.Text.Json.JsonSerializer.SerializeToElement(new StateChangeData(RateLimited, Running), Contracts.OverseerJson.Default.StateChangeData)));
        var resumed = await SessionAsync("s1");
        resumed.Status.ShouldBe(Running);
        resumed.RateLimitedUntil.ShouldBeNull();
    }

    [Fact]
    public async Task StateChange_Cancelled_SetsEndedAt()
    {
        await _t.AppendAsync(SessionCreated("s1", "p1"), State("s1", null, Queued));

        var cancelled = await AppendOneAsync(State("s1", Queued, Cancelled, "cancelled by me"));

        var session = await SessionAsync("s1");
        session.Status.ShouldBe(Cancelled);
        session.EndedAt.ShouldBe(cancelled.Ts);
        session.StartedAt.ShouldBeNull();
    }

    [Fact]
    public async Task AgentStarted_RecordsTheAgentsSessionId()
    {
        await AppendOneAsync(SessionCreated("s1", "p1"));

        await AppendOneAsync(AgentStarted("s1", "claude-abc"));

        (await SessionAsync("s1")).AgentSessionId.ShouldBe("claude-abc");
    }

    [Fact]
    public async Task UsageUpdated_SessionShowsTheLatestTotals()
    {
        await AppendOneAsync(SessionCreated("s1", "p1"));
        await AppendOneAsync(Usage("s1", new UsageTotals(100, 20, 5, 0.5m), new UsageTotals(100, 20, 5, 0.5m)));

        await AppendOneAsync(Usage("s1", new UsageTotals(10, 2, 0, 0.123456789m), new UsageTotals(110, 22, 5, 0.623456789m)));

        (await SessionAsync("s1")).Usage.ShouldBe(new UsageDto(110, 22, 0.623456789m, CacheReadTokens: 5));
    }

    [Fact]
    public async Task Questions_AskedAnsweredAndCancelled_UpdateTheQuestionAndPendingCount()
    {
        var item = new QuestionItem("Which part?", "Focus", [new QuestionOption("Parser", "read src"), new QuestionOption("Tests")], false);
        await AppendOneAsync(SessionCreated("s1", "p1"));
        var asked1 = await AppendOneAsync(QuestionAsked("s1", "q1", item));
        await AppendOneAsync(QuestionAsked("s1", "q2", item with { Question = "Anything else?" }));

        var pending = (await ReadModel.GetQuestionAsync("q1")).ShouldNotBeNull();
        pending.SessionId.ShouldBe("s1");
        pending.Status.ShouldBe("pending");
        pending.CreatedAt.ShouldBe(asked1.Ts);
        pending.Answers.ShouldBeNull();
        var stored = pending.Questions.ShouldHaveSingleItem();
        (stored.Question, stored.Header, stored.MultiSelect).ShouldBe((item.Question, item.Header, item.MultiSelect));
        stored.Options.ShouldBe(item.Options);
        (await SessionAsync("s1")).Pending.Questions.ShouldBe(2);

        await AppendOneAsync(QuestionAnswered("s1", "q1", "Which part?", "Tests"));
        var answered = (await ReadModel.GetQuestionAsync("q1")).ShouldNotBeNull();
        answered.Status.ShouldBe("answered");
        answered.Answers.ShouldNotBeNull()["Which part?"].GetString().ShouldBe("Tests");
        (await SessionAsync("s1")).Pending.Questions.ShouldBe(1);

        await AppendOneAsync(QuestionCancelled("s1", "q2"));
        (await ReadModel.GetQuestionAsync("q2")).ShouldNotBeNull().Status.ShouldBe("cancelled");
        (await SessionAsync("s1")).Pending.Questions.ShouldBe(0);

        // Closing a question twice changes nothing.
        await AppendOneAsync(QuestionAnswered("s1", "q2", "Anything else?", "late"));
        await AppendOneAsync(QuestionCancelled("s1", "q1"));
        (await ReadModel.GetQuestionAsync("q2")).ShouldNotBeNull().Status.ShouldBe("cancelled");
        (await ReadModel.GetQuestionAsync("q1")).ShouldNotBeNull().Status.ShouldBe("answered");
        (await SessionAsync("s1")).Pending.Questions.ShouldBe(0);
    }

    [Fact]
    public async Task ListQuestionsAsync_FiltersByStatusAndSessionNewestFirstWithACursor()
    {
        var item = new QuestionItem("Go?", null, [], false);
        await _t.AppendAsync(SessionCreated("s1", "p1"), SessionCreated("s2", "p1"));
        await _t.AppendAsync(QuestionAsked("s1", "q1", item), QuestionAsked("s2", "q2", item), QuestionAsked("s1", "q3", item));
        await _t.AppendAsync(QuestionAnswered("s1", "q1", "Go?", "yes"));

        (await ReadModel.ListQuestionsAsync(new ItemQuery("pending"))).Items.Select(q => q.Id).ShouldBe(["q3", "q2"]);
        (await ReadModel.ListQuestionsAsync(new ItemQuery(SessionId: "s1"))).Items.Select(q => q.Id).ShouldBe(["q3", "q1"]);
        (await ReadModel.ListQuestionsAsync(new ItemQuery("answered", "s2"))).Items.ShouldBeEmpty();

        var first = await ReadModel.ListQuestionsAsync(new ItemQuery(Limit: 2));
        first.Items.Select(q => q.Id).ShouldBe(["q3", "q2"]);
        var second = await ReadModel.ListQuestionsAsync(new ItemQuery(Cursor: first.Next.ShouldNotBeNull(), Limit: 2));
        second.Items.Select(q => q.Id).ShouldBe(["q1"]);
        second.Next.ShouldBeNull();
    }

    private async Task CreateSessionsAsync()
    {
        // s0..s5 alternate between two projects; created in this order (s5 is the newest).
        SessionStatus[] final = [Idle, Running, Queued, Idle, Failed, Queued];
        for (var i = 0; i < final.Length; i++)
        {
            var id = $"s{i}";
            var events = new List<NewEvent> { SessionCreated(id, i % 2 == 0 ? "p1" : "p2"), State(id, null, Queued) };
            if (final[i] != Queued)
                events.AddRange([State(id, Queued, Starting), State(id, Starting, Running)]);
            if (final[i] is Idle or Failed)
                events.Add(State(id, Running, final[i]));
            await _t.AppendAsync([.. events]);
        }
    }

    [Fact]
    public async Task ListSessionsAsync_StatusFilter_ReturnsMatchingSessionsNewestFirst()
    {
        await CreateSessionsAsync();

        (await ReadModel.ListSessionsAsync(new SessionQuery([Idle]))).Items.Select(s => s.Id).ShouldBe(["s3", "s0"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery([Queued, Failed]))).Items.Select(s => s.Id).ShouldBe(["s5", "s4", "s2"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery([Completed]))).Items.ShouldBeEmpty();
        (await ReadModel.ListSessionsAsync(new SessionQuery())).Items.Select(s => s.Id).ShouldBe(["s5", "s4", "s3", "s2", "s1", "s0"]);
    }

    [Fact]
    public async Task ListSessionsAsync_ProjectFilter_ReturnsThatProjectsSessions()
    {
        await CreateSessionsAsync();

        (await ReadModel.ListSessionsAsync(new SessionQuery(ProjectId: "p1"))).Items.Select(s => s.Id).ShouldBe(["s4", "s2", "s0"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery([Queued], ProjectId: "p2"))).Items.Select(s => s.Id).ShouldBe(["s5"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery(ProjectId: "p9"))).Items.ShouldBeEmpty();
        (await ReadModel.CountLiveSessionsAsync("p1")).ShouldBe(2);
        (await ReadModel.CountLiveSessionsAsync("p2")).ShouldBe(3);
    }

    [Fact]
    public async Task ListSessionsAsync_Pages_FollowTheNextCursorToTheEnd()
    {
        await CreateSessionsAsync();

        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            var page = await ReadModel.ListSessionsAsync(new SessionQuery(Cursor: cursor, Limit: 2));
            pages.Add([.. page.Items.Select(s => s.Id)]);
            cursor = page.Next;
        }
        while (cursor is not null && pages.Count < 10);

        pages.ShouldBe([["s5", "s4"], ["s3", "s2"], ["s1", "s0"]]);
    }

    [Fact]
    public async Task ListSessionsAsync_PagesWithAFilter_CursorKeepsTheFilter()
    {
        await CreateSessionsAsync();

        var first = await ReadModel.ListSessionsAsync(new SessionQuery([Queued, Idle], Limit: 3));
        var second = await ReadModel.ListSessionsAsync(new SessionQuery([Queued, Idle], Cursor: first.Next.ShouldNotBeNull(), Limit: 3));

        first.Items.Select(s => s.Id).ShouldBe(["s5", "s3", "s2"]);
        second.Items.Select(s => s.Id).ShouldBe(["s0"]);
        second.Next.ShouldBeNull();
    }
}
