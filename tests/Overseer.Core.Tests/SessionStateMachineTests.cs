using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using static Overseer.Contracts.Events.SessionStatus;

namespace Overseer.Core.Tests;

public sealed class SessionStateMachineTests
{
    private static readonly SessionStatus[] LiveStates = [Queued, Starting, Running, Waiting, Idle, Paused, RateLimited, Interrupted];

    /// <summary>The transitions of DESIGN.md §4; every other pair must be refused (409 INVALID_STATE).</summary>
    private static readonly HashSet<(SessionStatus From, SessionStatus To)> Legal = BuildLegal();

    private static HashSet<(SessionStatus, SessionStatus)> BuildLegal()
    {
        var legal = new HashSet<(SessionStatus, SessionStatus)>
        {
            (Queued, Starting),
            (Starting, Running),
            (Starting, Failed),
            (Running, Waiting),
            (Waiting, Running),
            (Running, Idle),
            (Waiting, Idle),
            (Waiting, Failed),
            (Idle, Running),
            (Running, Paused),
            (Waiting, Paused),
            (Paused, Running),
            (Paused, Waiting),
            (Running, RateLimited),
            (RateLimited, Running),
            (Running, Failed),
            (Idle, Completed),
            (Failed, Completed),
            (Interrupted, Running),
            // Seed 003's tasks: a draft is started or deleted; an ended session can be deleted (a live one is cancelled first).
            (Draft, Queued),
            (Draft, Deleted),
            (Completed, Deleted),
            (Failed, Deleted),
            (Cancelled, Deleted),
        };
        foreach (var live in LiveStates)
            legal.Add((live, Cancelled));
        foreach (var cutOff in new[] { Starting, Running, Waiting, Paused, RateLimited })
            legal.Add((cutOff, Interrupted));
        return legal;
    }

    public static TheoryData<SessionStatus, SessionStatus, bool> AllPairs()
    {
        var data = new TheoryData<SessionStatus, SessionStatus, bool>();
        foreach (var from in Enum.GetValues<SessionStatus>())
        {
            foreach (var to in Enum.GetValues<SessionStatus>())
                data.Add(from, to, Legal.Contains((from, to)));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_EveryPairOfStates_MatchesTheDesignTable(SessionStatus from, SessionStatus to, bool expected)
    {
        SessionStateMachine.IsAllowed(from, to).ShouldBe(expected, $"{from.ToWire()} → {to.ToWire()}");
    }

    [Fact]
    public void IsAllowed_TheTable_CoversEveryPairOfStates()
    {
        var states = Enum.GetValues<SessionStatus>();
        AllPairs().Count().ShouldBe(states.Length * states.Length);
        Legal.Count.ShouldBe(19 + 8 + 5 + 5);
    }

    [Theory]
    [InlineData(Completed)]
    [InlineData(Cancelled)]
    [InlineData(Deleted)]
    public void IsAllowed_FromATerminalState_RefusesEverythingButDeletion(SessionStatus terminal)
    {
        foreach (var to in Enum.GetValues<SessionStatus>())
            SessionStateMachine.IsAllowed(terminal, to).ShouldBe(to == Deleted && terminal != Deleted, $"{terminal.ToWire()} → {to.ToWire()}");
    }

    [Theory]
    [InlineData(Starting, Running, "session.started")]
    [InlineData(Paused, Running, "session.resumed")]
    [InlineData(RateLimited, Running, "session.resumed")]
    [InlineData(Interrupted, Running, "session.resumed")]
    [InlineData(Idle, Running, "session.running")]
    [InlineData(Waiting, Running, "session.running")]
    [InlineData(Running, Idle, "session.idle")]
    [InlineData(Waiting, Idle, "session.idle")]
    [InlineData(Queued, Starting, "session.starting")]
    [InlineData(Running, Waiting, "session.waiting")]
    [InlineData(Running, Paused, "session.paused")]
    [InlineData(Running, RateLimited, "session.rate_limited")]
    [InlineData(Running, Interrupted, "session.interrupted")]
    [InlineData(Running, Failed, "session.failed")]
    [InlineData(Idle, Completed, "session.completed")]
    [InlineData(Queued, Cancelled, "session.cancelled")]
    [InlineData(Draft, Queued, "session.queued")]
    [InlineData(Cancelled, Deleted, "session.deleted")]
    public void EventType_Transition_HasTheStableDottedName(SessionStatus from, SessionStatus to, string expected)
    {
        SessionStateMachine.EventType(from, to).ShouldBe(expected);
    }

    [Fact]
    public void IsActive_StatesHoldingASlot_AreTheOnesWorkingOnATurn()
    {
        var active = Enum.GetValues<SessionStatus>().Where(SessionStateMachine.IsActive).ToArray();

        active.ShouldBe([Starting, Running, Waiting, Paused, RateLimited], ignoreOrder: true);
    }
}
