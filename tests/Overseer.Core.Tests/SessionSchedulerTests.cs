using Microsoft.Extensions.Options;
using Overseer.Core.Scheduling;

namespace Overseer.Core.Tests;

public sealed class SessionSchedulerTests
{
    private readonly List<string> _dispatched = [];
    private readonly SessionScheduler _scheduler = new(Options.Create(new SchedulingOptions { MaxConcurrent = 2 }));

    public SessionSchedulerTests()
    {
        _scheduler.OnDispatch(id =>
        {
            lock (_dispatched)
                _dispatched.Add(id);
            return Task.CompletedTask;
        });
    }

    private string[] Dispatched()
    {
        lock (_dispatched)
            return [.. _dispatched];
    }

    [Fact]
    public void PlaceOf_QueuedSessions_SaysTheirTurnInPriorityOrderAndTheBusySlots()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);
        _scheduler.Enqueue("c", 0);
        _scheduler.Enqueue("d", 5);

        _scheduler.PlaceOf("a").ShouldBeNull("a running session is not in line");
        _scheduler.PlaceOf("d").ShouldBe(new QueuePlace(1, 2, 2), "a higher priority goes ahead of older work");
        _scheduler.PlaceOf("c").ShouldBe(new QueuePlace(2, 2, 2));

        _scheduler.MarkInactive("a");
        _scheduler.PlaceOf("c").ShouldBe(new QueuePlace(1, 2, 2));
        _scheduler.PlaceOf("nobody").ShouldBeNull();
    }

    [Fact]
    public void Enqueue_FiveSessionsWithTwoSlots_DispatchesHighestPriorityFirstThenOldest()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);
        _scheduler.Enqueue("c", 1);
        _scheduler.Enqueue("d", 5);
        _scheduler.Enqueue("e", 1);

        Dispatched().ShouldBe(["a", "b"]);
        _scheduler.ActiveCount.ShouldBe(2);
        _scheduler.QueuedCount.ShouldBe(3);

        _scheduler.MarkInactive("a");
        Dispatched().ShouldBe(["a", "b", "d"]);
        _scheduler.ActiveCount.ShouldBe(2);

        _scheduler.MarkInactive("b");
        Dispatched().ShouldBe(["a", "b", "d", "c"]);

        _scheduler.MarkInactive("d");
        Dispatched().ShouldBe(["a", "b", "d", "c", "e"]);
        _scheduler.QueuedCount.ShouldBe(0);
        _scheduler.ActiveCount.ShouldBe(2);
    }

    [Fact]
    public void Enqueue_NegativePriority_WaitsBehindDefaultPriority()
    {
        _scheduler.MarkActive("busy1");
        _scheduler.MarkActive("busy2");
        _scheduler.Enqueue("low", -10);
        _scheduler.Enqueue("normal", 0);

        _scheduler.MarkInactive("busy1");
        _scheduler.MarkInactive("busy2");

        Dispatched().ShouldBe(["normal", "low"]);
    }

    [Fact]
    public void MarkInactive_UnknownSession_DispatchesNothing()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);
        _scheduler.Enqueue("c", 0);

        _scheduler.MarkInactive("never-active");

        Dispatched().ShouldBe(["a", "b"]);
        _scheduler.QueuedCount.ShouldBe(1);
    }

    [Fact]
    public void Remove_QueuedSession_IsNeverDispatched()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);
        _scheduler.Enqueue("c", 9);
        _scheduler.Enqueue("d", 0);

        _scheduler.Remove("c").ShouldBeTrue();
        _scheduler.MarkInactive("a");
        _scheduler.MarkInactive("b");

        Dispatched().ShouldBe(["a", "b", "d"]);
        _scheduler.QueuedCount.ShouldBe(0);
    }

    [Fact]
    public void Remove_SessionNotQueued_ReturnsFalse()
    {
        _scheduler.Enqueue("a", 0);

        _scheduler.Remove("a").ShouldBeFalse();
        _scheduler.Remove("unknown").ShouldBeFalse();
    }

    [Fact]
    public void Stop_ThenSlotsFree_DispatchesNothingMore()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);
        _scheduler.Enqueue("c", 0);

        _scheduler.Stop();
        _scheduler.MarkInactive("a");
        _scheduler.MarkInactive("b");
        _scheduler.Enqueue("d", 0);

        Dispatched().ShouldBe(["a", "b"]);
        _scheduler.QueuedCount.ShouldBe(2);
        _scheduler.ActiveCount.ShouldBe(0);
    }

    [Fact]
    public void MarkActive_FollowUpWhenAllSlotsAreBusy_TakesASlotAnyway()
    {
        _scheduler.Enqueue("a", 0);
        _scheduler.Enqueue("b", 0);

        _scheduler.MarkActive("follow-up");

        _scheduler.ActiveCount.ShouldBe(3);
    }

    [Fact]
    public void Enqueue_BeforeADispatcherIsSet_WaitsUntilASlotEventFires()
    {
        var scheduler = new SessionScheduler(Options.Create(new SchedulingOptions { MaxConcurrent = 2 }));
        scheduler.Enqueue("a", 0);
        scheduler.QueuedCount.ShouldBe(1);

        var started = new List<string>();
        scheduler.OnDispatch(id =>
        {
            started.Add(id);
            return Task.CompletedTask;
        });
        scheduler.Enqueue("b", 0);

        started.ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task Enqueue_ManyConcurrentCallers_NeverExceedsTheLimit()
    {
        var scheduler = new SessionScheduler(Options.Create(new SchedulingOptions { MaxConcurrent = 3 }));
        var maxActive = 0;
        var finished = 0;
        scheduler.OnDispatch(async id =>
        {
            InterlockedMax(ref maxActive, scheduler.ActiveCount);
            await Task.Yield();
            // Counted once its slot is free, so "all finished" means no slot is held.
            scheduler.MarkInactive(id);
            Interlocked.Increment(ref finished);
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
                scheduler.Enqueue($"s{t}-{i}", i % 3);
        })));
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref finished)), n => n == 400, "all 400 sessions to run");

        maxActive.ShouldBeLessThanOrEqualTo(3);
        scheduler.ActiveCount.ShouldBe(0);
        scheduler.QueuedCount.ShouldBe(0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
