using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage.Sqlite;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

/// <summary>Sessions as tasks in the read model: drafts, edits, deletion and progress.</summary>
public sealed class TaskProjectionTests : IAsyncLifetime
{
    private TestStore _t = null!;

    public async Task InitializeAsync() => _t = await TestStore.OpenAsync();

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private IReadModel ReadModel => _t.ReadModel;

    private static NewEvent Create<T>(string sessionId, string type, T data, JsonTypeInfo<T> typeInfo) =>
        new(sessionId, type, Actor, JsonSerializer.SerializeToElement(data, typeInfo));

    private static NewEvent DraftCreated(string id, string prompt, string? title = null, string? description = null, string? type = null) =>
        Create(id, EventTypes.SessionCreated, new SessionCreatedData("p1", prompt, "scripted", null, 0, null, Title: title, Description: description, Type: type, Draft: true),
            OverseerJson.Default.SessionCreatedData);

    private static NewEvent Updated(string id, SessionUpdatedData data) => Create(id, EventTypes.SessionUpdated, data, OverseerJson.Default.SessionUpdatedData);

    private Task<IReadOnlyList<SearchHit>> SearchAsync(string text) =>
        new SqliteSessionSearch(_t.Database).SearchAsync(SearchQuery.Parse(text), 10);

    [Fact]
    public async Task Draft_IsListedAsADraft_WithItsTitleOrThePromptsFirstLine()
    {
        await _t.AppendAsync(DraftCreated("s1", "Add CSV export\nwith headers", title: "Export", description: "Needs **headers**.", type: "feature"));
        await _t.AppendAsync(DraftCreated("s2", "\n  Rename the config keys  \nand the docs"));

        var one = (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull();
        one.Status.ShouldBe(Draft);
        (one.Title, one.Description, one.Type).ShouldBe(("Export", "Needs **headers**.", "feature"));
        (await ReadModel.GetSessionAsync("s2")).ShouldNotBeNull().Title.ShouldBe("Rename the config keys");
        (await ReadModel.ListSessionsAsync(new SessionQuery([Draft]))).Items.Select(s => s.Id).ShouldBe(["s2", "s1"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery(Type: "feature"))).Items.Select(s => s.Id).ShouldBe(["s1"]);
        // A list carries no description (it may be long); the session itself does.
        (await ReadModel.ListSessionsAsync(new SessionQuery(PromptPreview: 200))).Items.Single(s => s.Id == "s1").Description.ShouldBeNull();
    }

    [Fact]
    public async Task SessionUpdated_ChangesOnlyTheFieldsItNames_AndAnEmptyDescriptionOrTypeClearsIt()
    {
        await _t.AppendAsync(DraftCreated("s1", "Old prompt", title: "Old", description: "notes", type: "bugfix"));

        await _t.AppendAsync(Updated("s1", new SessionUpdatedData(["title", "prompt", "priority"], Title: "New", Priority: 5, Prompt: "New prompt")));
        var changed = (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull();
        (changed.Title, changed.Prompt, changed.Priority, changed.Description, changed.Type).ShouldBe(("New", "New prompt", 5, "notes", "bugfix"));

        await _t.AppendAsync(Updated("s1", new SessionUpdatedData(["description", "type"], Description: "", Type: "")));
        var cleared = (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull();
        (cleared.Description, cleared.Type, cleared.Title).ShouldBe((null, null, "New"));
    }

    [Fact]
    public async Task Deleted_LeavesEveryListCountAndGet_ButItsEventsAndSpendingStay()
    {
        await _t.AppendAsync(SessionCreated("s1", "p1"), State("s1", null, Queued), State("s1", Queued, Starting), State("s1", Starting, Running));
        await _t.AppendAsync(Usage("s1", new UsageTotals(10, 5, 0, 1.5m), new UsageTotals(10, 5, 0, 1.5m)));
        await _t.AppendAsync(QuestionAsked("s1", "q1", new QuestionItem("Which?", null, [], false)));
        await _t.AppendAsync(SessionCreated("s2", "p1"), State("s2", null, Queued));

        await _t.AppendAsync(QuestionCancelled("s1", "q1"), State("s1", Running, Cancelled), State("s1", Cancelled, Deleted));

        (await ReadModel.GetSessionAsync("s1")).ShouldBeNull();
        (await ReadModel.GetDeletedSessionAsync("s1")).ShouldNotBeNull().Status.ShouldBe(Deleted);
        (await ReadModel.GetDeletedSessionAsync("s2")).ShouldBeNull("s2 is not deleted");
        (await ReadModel.ListSessionsAsync(new SessionQuery())).Items.Select(s => s.Id).ShouldBe(["s2"]);
        (await ReadModel.ListSessionsAsync(new SessionQuery([Deleted]))).Items.ShouldBeEmpty();
        (await ReadModel.ListQuestionsAsync(new ItemQuery())).Items.ShouldBeEmpty();
        (await ReadModel.GetQuestionAsync("q1")).ShouldBeNull();
        (await ReadModel.CountLiveSessionsAsync("p1")).ShouldBe(1);
        var stats = await ReadModel.GetUsageStatsAsync();
        stats.SessionsByStatus.Keys.ShouldBe(["queued"]);
        stats.CostUsd.ShouldBe(1.5m, "what a deleted session spent was spent");
        (await ReadModel.GetUsageAsync(UsageGrouping.Session)).Select(r => r.Key).ShouldBe(["s2"]);
        (await ReadModel.GetUsageAsync(UsageGrouping.Project)).ShouldHaveSingleItem().CostUsd.ShouldBe(1.5m);
        (await _t.ReadAllAsync()).Count(e => e.SessionId == "s1").ShouldBe(9, "its events stay in the log");
    }

    [Fact]
    public async Task PhaseStartedAndStepUpdated_AreTheSessionsProgress()
    {
        await _t.AppendAsync(SessionCreated("s1", "p1"), State("s1", null, Queued));
        (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull().Progress.ShouldBeNull();

        await _t.AppendAsync(Create("s1", EventTypes.PhaseStarted, new PhaseStartedData("Design", 1, 3), OverseerJson.Default.PhaseStartedData));
        await _t.AppendAsync(Create("s1", EventTypes.StepUpdated, new StepUpdatedData(null, 40, "schema", 2, 5), OverseerJson.Default.StepUpdatedData));
        var progress = (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull().Progress.ShouldNotBeNull();
        (progress.Phase, progress.PhaseIndex, progress.PhaseTotal, progress.Percent, progress.Text, progress.Step, progress.Steps).ShouldBe(("Design", 1, 3, 40, "schema", 2, 5));

        // A new phase starts at nothing done.
        await _t.AppendAsync(Create("s1", EventTypes.PhaseStarted, new PhaseStartedData("Build", 2, 3), OverseerJson.Default.PhaseStartedData));
        var next = (await ReadModel.GetSessionAsync("s1")).ShouldNotBeNull().Progress.ShouldNotBeNull();
        (next.Phase, next.PhaseIndex, next.Percent, next.Text, next.Step).ShouldBe(("Build", 2, 0, null, null));
    }

    [Fact]
    public async Task Search_FindsTitleAndDescription_AnEditReplacesTheOldText_AndDeletedSessionsAreLeftOut()
    {
        await _t.AppendAsync(DraftCreated("s1", "Port the lexer", title: "Lexer port", description: "Keep the axolotl tokens"));
        await _t.AppendAsync(DraftCreated("s2", "Write the changelog"));

        (await SearchAsync("axolotl")).ShouldHaveSingleItem().Source.ShouldBe("description");
        (await SearchAsync("lexer")).ShouldHaveSingleItem().SessionId.ShouldBe("s1");

        await _t.AppendAsync(Updated("s1", new SessionUpdatedData(["description", "prompt"], Description: "Keep the newt tokens", Prompt: "Rewrite the tokenizer")));
        (await SearchAsync("axolotl")).ShouldBeEmpty("the old description is gone from search");
        (await SearchAsync("newt")).ShouldHaveSingleItem().SessionId.ShouldBe("s1");
        (await SearchAsync("tokenizer")).ShouldHaveSingleItem().Source.ShouldBe("prompt");
        (await SearchAsync("port")).ShouldHaveSingleItem().Source.ShouldBe("title", "the prompt no longer says port; the title still does");

        await _t.AppendAsync(State("s2", Draft, Deleted));
        (await SearchAsync("changelog")).ShouldBeEmpty();
    }
}
