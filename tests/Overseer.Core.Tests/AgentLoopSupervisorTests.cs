using Overseer.Core.Agents;

namespace Overseer.Core.Tests;

public sealed class AgentLoopSupervisorTests
{
    [Fact]
    public async Task RunAsync_LoopThrows_ReportsTheFaultOnceAndLogsIt()
    {
        using var logs = new CapturingLoggerProvider();
        var faults = new List<string>();
        var supervisor = new AgentLoopSupervisor("s-1", logs.CreateLogger("test"), (loop, ex) =>
        {
            faults.Add(AgentLoopSupervisor.Describe(loop, ex));
            return Task.CompletedTask;
        });

        await supervisor.RunAsync("stdout reader", () => throw new InvalidOperationException("boom"), CancellationToken.None);
        await supervisor.RunAsync("stderr reader", () => throw new FormatException("again"), CancellationToken.None);

        supervisor.Faulted.ShouldBeTrue();
        faults.ShouldHaveSingleItem().ShouldBe("Overseer's stdout reader failed (InvalidOperationException: boom); the agent was stopped.");
        logs.Lines.Count(l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("s-1")).ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_CancelledBecauseStopping_IsNoFault()
    {
        using var logs = new CapturingLoggerProvider();
        using var stopping = new CancellationTokenSource();
        var faulted = false;
        var supervisor = new AgentLoopSupervisor("s-2", logs.CreateLogger("test"), (_, _) =>
        {
            faulted = true;
            return Task.CompletedTask;
        });
        await stopping.CancelAsync();

        await supervisor.RunAsync("stdout reader", () => Task.FromException(new OperationCanceledException(stopping.Token)), stopping.Token);

        faulted.ShouldBeFalse();
        logs.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_ReportingTheFaultFails_IsLoggedAndDoesNotThrow()
    {
        using var logs = new CapturingLoggerProvider();
        var supervisor = new AgentLoopSupervisor("s-3", logs.CreateLogger("test"), (_, _) => throw new ObjectDisposedException("session"));

        await supervisor.RunAsync("permission answer", () => throw new InvalidOperationException("gate down"), CancellationToken.None);

        logs.Lines.ShouldContain(l => l.Contains("could not be reported"));
    }
}
