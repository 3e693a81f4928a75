using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

public sealed class EventStoreAppendTests
{
    [Fact]
    public async Task AppendAsync_SequentialAppends_GetConsecutiveSeqFromOneAndGapFreeSessionSeq()
    {
        await using var t = await TestStore.OpenAsync();
        var before = DateTimeOffset.UtcNow;

        var first = await t.AppendAsync(Text("a", "a1"), Text(null, "global"), Text("a", "a2"));
        var second = await t.AppendAsync(Text("b", "b1"), Text("a", "a3"));

        var after = DateTimeOffset.UtcNow;
        var stored = first.Concat(second).ToList();
        stored.Select(e => e.Seq).ShouldBe([1L, 2, 3, 4, 5]);
        stored.Select(e => (e.SessionId, e.SessionSeq)).ShouldBe([("a", 1L), (null, 0L), ("a", 2L), ("b", 1L), ("a", 3L)]);
        stored.ShouldAllBe(e => e.Ts >= before.AddMilliseconds(-1) && e.Ts <= after.AddMilliseconds(1));
        stored.Select(TextOf).ShouldBe(["a1", "global", "a2", "b1", "a3"]);
        stored.ShouldAllBe(e => e.Actor == Actor && e.Type == EventTypes.AgentText);
        t.Store.LastSeq.ShouldBe(5);
    }

    [Fact]
    public async Task AppendAsync_StoredEvents_ReadBackExactlyAsReturned()
    {
        await using var t = await TestStore.OpenAsync();

        var stored = await t.AppendAsync(Text("a", "hello «world» \u2603"), Text(null, "outside"), Text("a", "again"));

        var read = await t.ReadAllAsync();
        read.Select(e => (e.Seq, e.SessionId, e.SessionSeq, e.Type, e.Ts, e.Actor, e.Data.GetRawText()))
            .ShouldBe(stored.Select(e => (e.Seq, e.SessionId, e.SessionSeq, e.Type, e.Ts, e.Actor, e.Data.GetRawText())));
    }

    [Fact]
    public async Task AppendAsync_EmptyList_StoresNothing()
    {
        await using var t = await TestStore.OpenAsync();

        (await t.Store.AppendAsync([])).ShouldBeEmpty();

        t.Store.LastSeq.ShouldBe(0);
    }

    [Fact]
    public async Task AppendAsync_SixteenConcurrentWriters_EveryEventStoredOnceInOrder()
    {
        const int Tasks = 16;
        const int PerTask = 500;
        await using var t = await TestStore.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            var stored = new List<EventEnvelope>(PerTask);
            for (var n = 0; n < PerTask; n++)
            {
                // Four sessions, each shared by four writers, plus events outside any session.
                var session = n % 10 == 0 ? null : $"s{task % 4}";
                stored.AddRange(await t.AppendAsync(Text(session, $"{task}:{n}")));
            }
            return stored;
        })));

        var all = await t.ReadAllAsync();
        all.Count.ShouldBe(Tasks * PerTask);
        all.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, Tasks * PerTask).Select(n => (long)n));
        t.Store.LastSeq.ShouldBe(Tasks * PerTask);
        results.SelectMany(r => r).Select(e => e.Seq).Order().ShouldBe(all.Select(e => e.Seq));
        foreach (var session in all.Where(e => e.SessionId is not null).GroupBy(e => e.SessionId))
            session.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, session.Count()).Select(n => (long)n), $"session {session.Key}");
        all.Where(e => e.SessionId is null).ShouldAllBe(e => e.SessionSeq == 0);
        foreach (var byTask in all.GroupBy(e => TextOf(e).Split(':')[0]))
        {
            // Each writer awaited every append, so its events are stored in the order it wrote them.
            byTask.Select(e => int.Parse(TextOf(e).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture))
                .ShouldBe(Enumerable.Range(0, PerTask), $"writer {byTask.Key}");
        }
    }

    [Fact]
    public async Task AppendAsync_AppendsQueuedBehindACommit_ShareTheNextTransaction()
    {
        using var observer = new RecordingObserver();
        await using var t = await TestStore.OpenAsync(observer);
        observer.HoldNext();
        var blocker = t.AppendAsync(Text("s", "first"));
        observer.WaitUntilHeld();

        var calls = Enumerable.Range(0, 10).Select(i => t.AppendAsync(Text($"s{i % 3}", $"queued {i}"))).ToList();
        observer.Release();
        await blocker;
        var stored = await Task.WhenAll(calls);

        observer.Batches.Count.ShouldBe(2);
        observer.Batches[1].Select(TextOf).ShouldBe(Enumerable.Range(0, 10).Select(i => $"queued {i}"));
        stored.Select(s => s.Single().Seq).ShouldBe(Enumerable.Range(2, 10).Select(n => (long)n));
        stored.Select(s => s.Single().Ts).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentAppends_ObserversSeeEveryEventOnceInSeqOrder()
    {
        using var observer = new RecordingObserver();
        await using var t = await TestStore.OpenAsync(observer);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(task => Task.Run(async () =>
        {
            for (var n = 0; n < 200; n++)
                await t.AppendAsync(Text($"s{task}", $"{task}:{n}"), Text($"s{task}", $"{task}:{n}b"));
        })));

        var seen = observer.Batches.SelectMany(b => b).Select(e => e.Seq).ToList();
        seen.ShouldBe(Enumerable.Range(1, 16 * 200 * 2).Select(n => (long)n));
        observer.Batches.ShouldAllBe(b => b.Count > 0);
    }

    [Fact]
    public async Task AppendAsync_EventWithoutData_FailsAndStoresNothingOfItsBatch()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(Text("a", "before"));

        var ex = await Should.ThrowAsync<EventStoreException>(() =>
            t.AppendAsync(Text("a", "good half"), new NewEvent("a", EventTypes.AgentText, Actor, default)));

        ex.Message.ShouldContain("no data");
        t.Store.LastSeq.ShouldBe(1);
        (await t.ReadAllAsync()).Select(TextOf).ShouldBe(["before"]);
        var next = (await t.AppendAsync(Text("a", "after"))).Single();
        next.Seq.ShouldBe(2);
        next.SessionSeq.ShouldBe(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task AppendAsync_EventWithoutType_FailsWithEventStoreException(string type)
    {
        await using var t = await TestStore.OpenAsync();

        var ex = await Should.ThrowAsync<EventStoreException>(() =>
            t.AppendAsync(new NewEvent("a", type, Actor, JsonSerializer.SerializeToElement(new AgentTextData("x"), OverseerJson.Default.AgentTextData))));

        ex.Message.ShouldContain("type");
        (await t.ReadAllAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_BadAppendInTheSameTransactionAsGoodOnes_FailsAloneAndLeavesNoGap()
    {
        using var observer = new RecordingObserver();
        await using var t = await TestStore.OpenAsync(observer);
        await t.AppendAsync(ProjectCreated("p1", "/work/one"));
        observer.HoldNext();
        var blocker = t.AppendAsync(Text("s0", "blocker"));
        observer.WaitUntilHeld();

        // These three queue up behind the held commit and are written as one batch.
        var good1 = t.AppendAsync(Text("s1", "a"), Text("s1", "b"));
        var duplicate = t.AppendAsync(ProjectCreated("p2", "/work/two"), ProjectCreated("p3", "/work/one"));
        var noData = t.AppendAsync(new NewEvent("s3", EventTypes.AgentText, Actor, default));
        var good2 = t.AppendAsync(Text("s2", "c"));
        observer.Release();
        await blocker;

        (await good1).Select(e => (e.SessionId, e.SessionSeq)).ShouldBe([("s1", 1L), ("s1", 2L)]);
        (await good2).Single().SessionSeq.ShouldBe(1);
        var duplicateError = await Should.ThrowAsync<EventStoreException>(() => duplicate);
        duplicateError.Message.ShouldContain("UNIQUE");
        await Should.ThrowAsync<EventStoreException>(() => noData);

        var all = await t.ReadAllAsync();
        all.Select(e => e.Seq).ShouldBe([1L, 2, 3, 4, 5]);
        all.Where(e => e.Type == EventTypes.AgentText).Select(TextOf).ShouldBe(["blocker", "a", "b", "c"]);
        (await t.ReadModel.ListProjectsAsync()).Select(p => p.Id).ShouldBe(["p1"]);
        (await t.Store.ReadSessionAsync("s3", 0, 100)).ShouldBeEmpty();
        observer.Batches.SelectMany(b => b).Select(e => e.Seq).ShouldBe([1L, 2, 3, 4, 5]);
        t.Store.LastSeq.ShouldBe(5);
    }

    [Fact]
    public async Task AppendAsync_PipeBatchesSplitByAFailingAppend_LoseNothingAndKeepEachSessionInOrder()
    {
        // What an agent's pipe reads become: multi-event appends from several sessions, queued
        // together behind a held commit so they share one transaction, with one bad append among
        // them. The transaction is split: the bad one fails alone, every other event is stored
        // and seen by the observers exactly once, in order, with no gap in any seq.
        using var observer = new RecordingObserver();
        await using var t = await TestStore.OpenAsync(observer);
        observer.HoldNext();
        var blocker = t.AppendAsync(Text("s0", "blocker"));
        observer.WaitUntilHeld();

        var good = new List<Task<IReadOnlyList<EventEnvelope>>>();
        for (var read = 0; read < 5; read++)
        {
            for (var session = 1; session <= 4; session++)
                good.Add(t.AppendAsync([.. Enumerable.Range(0, 20).Select(i => Text($"s{session}", $"{read * 20 + i}"))]));
            if (read == 2)
            {
                var bad = t.AppendAsync(Text("s9", "fine"), new NewEvent("s9", EventTypes.AgentText, Actor, default));
                observer.Release();
                await Should.ThrowAsync<EventStoreException>(() => bad);
            }
        }
        await blocker;
        await Task.WhenAll(good);

        var all = await t.ReadAllAsync();
        all.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 1 + (5 * 4 * 20)).Select(n => (long)n));
        for (var session = 1; session <= 4; session++)
        {
            var own = all.Where(e => e.SessionId == $"s{session}").ToList();
            own.Select(TextOf).ShouldBe(Enumerable.Range(0, 100).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            own.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, 100).Select(n => (long)n));
        }
        (await t.Store.ReadSessionAsync("s9", 0, 100)).ShouldBeEmpty();
        observer.Batches.SelectMany(b => b).Select(e => e.Seq).ShouldBe(all.Select(e => e.Seq));
    }

    [Fact]
    public async Task AppendAsync_DuplicateProjectPath_FailsTheWholeCall()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(ProjectCreated("p1", "/work/one"));

        await Should.ThrowAsync<EventStoreException>(() => t.AppendAsync(ProjectCreated("p2", "/work/two"), ProjectCreated("p3", "/work/one")));

        (await t.ReadModel.ListProjectsAsync()).Select(p => p.Id).ShouldBe(["p1"]);
        (await t.ReadAllAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_SessionsFilter_ReturnsOnlyThoseSessionsInSeqOrder()
    {
        await using var t = await TestStore.OpenAsync();
        for (var i = 0; i < 5; i++)
            await t.AppendAsync(Text("a", $"a{i}"), Text("b", $"b{i}"), Text("c", $"c{i}"), Text(null, $"g{i}"));

        var ab = await t.Store.ReadAsync(0, 100, new HashSet<string> { "a", "b" });

        ab.Select(TextOf).ShouldBe(["a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"]);
        ab.Select(e => e.Seq).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task ReadAsync_AfterSeqAndLimit_ReturnTheNextPage()
    {
        await using var t = await TestStore.OpenAsync();
        for (var i = 0; i < 5; i++)
            await t.AppendAsync(Text("a", $"a{i}"), Text("b", $"b{i}"), Text("c", $"c{i}"));
        var sessions = new HashSet<string> { "a", "c" };
        var firstPage = await t.Store.ReadAsync(0, 3, sessions);

        var secondPage = await t.Store.ReadAsync(firstPage[^1].Seq, 3, sessions);

        firstPage.Select(TextOf).ShouldBe(["a0", "c0", "a1"]);
        secondPage.Select(TextOf).ShouldBe(["c1", "a2", "c2"]);
        (await t.Store.ReadAsync(secondPage[^1].Seq, 100, sessions)).Select(TextOf).ShouldBe(["a3", "c3", "a4", "c4"]);
    }

    [Fact]
    public async Task ReadAsync_OneSession_HonoursAfterSeqAndLimit()
    {
        await using var t = await TestStore.OpenAsync();
        for (var i = 0; i < 5; i++)
            await t.AppendAsync(Text("a", $"a{i}"), Text("b", $"b{i}"));

        var page = await t.Store.ReadAsync(3, 2, new HashSet<string> { "a" });

        page.Select(TextOf).ShouldBe(["a2", "a3"]);
        (await t.Store.ReadSessionAsync("b", 4, 100)).Select(TextOf).ShouldBe(["b2", "b3", "b4"]);
    }

    [Fact]
    public async Task ReadAsync_EmptyOrUnknownSessions_ReturnsNothingAndNullReturnsAll()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(Text("a", "a0"), Text(null, "g0"), Text("b", "b0"));

        (await t.Store.ReadAsync(0, 100, new HashSet<string>())).ShouldBeEmpty();
        (await t.Store.ReadAsync(0, 100, new HashSet<string> { "x", "y" })).ShouldBeEmpty();
        (await t.Store.ReadAsync(0, 100)).Select(TextOf).ShouldBe(["a0", "g0", "b0"]);
        (await t.Store.ReadAsync(1, 1)).Select(TextOf).ShouldBe(["g0"]);
    }

    [Fact]
    public async Task AppendAsync_BeforeInitialize_Throws()
    {
        await using var t = await TestStore.OpenAsync();
        await using var uninitialised = t.NewStore();

        await Should.ThrowAsync<InvalidOperationException>(() => uninitialised.AppendAsync([Text("a", "x")]));
    }

    [Fact]
    public async Task CheckHealthAsync_OpenStore_IsHealthyWithTheLastSeq()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(Text("a", "x"), Text("a", "y"));

        var health = await t.Store.CheckHealthAsync();

        health.ShouldBe(new StoreHealth(true, "sqlite", 2, null));
    }
}
