using System.Text.Json;
using Overseer.Core.Agents;
using Overseer.Core.Safety;

namespace Overseer.Core.Tests;

/// <summary>A safety gate that refuses every tool call and remembers what it was asked.</summary>
internal sealed class DenyingToolGate(string reason) : IToolGate
{
    public List<ToolGateRequest> Requests { get; } = [];

    public Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
            Requests.Add(request);
        return Task.FromResult(new ToolDecision(false, reason, "dangerous"));
    }
}

/// <summary>A safety gate that holds every tool call for a person.</summary>
internal sealed class ApprovalGate : IToolGate
{
    public Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ToolDecision(false, "pushes to a remote", "ORANGE", "test", NeedsApproval: true));
}

/// <summary>
/// A hand-written agent: <paramref name="turn"/> plays each turn (off the caller's thread, as a
/// real agent's output arrives); <paramref name="startError"/> makes the agent fail to start.
/// </summary>
internal sealed class FakeRuntime(string name, Func<IAgentSink, string, Task>? turn = null, Exception? startError = null) : IAgentRuntime
{
    public string Name => name;

    public RuntimeStatus Status { get; } = new(true, "test");

    public bool CanHibernate => false;

    public string? Validate(JsonElement? script) => null;

    public Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken) =>
        startError is null ? Task.FromResult<IAgentConnection>(new Connection(context.Sink, turn)) : Task.FromException<IAgentConnection>(startError);

    /// <summary>Every turn reports usage with cache reads, then ends.</summary>
    public static FakeRuntime Caching() => new("caching", async (sink, _) =>
    {
        await sink.EmitAsync(new UsageReported("cache-model", 10, 5, 100, 0.01m), CancellationToken.None);
        await sink.EmitAsync(new TurnEnded(), CancellationToken.None);
    });

    private sealed class Connection(IAgentSink sink, Func<IAgentSink, string, Task>? turn) : IAgentConnection
    {
        public Task SendAsync(string text, CancellationToken cancellationToken)
        {
            if (turn is not null)
                _ = Task.Run(() => turn(sink, text), CancellationToken.None);
            return Task.CompletedTask;
        }

        public Task InterruptAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PauseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ResumeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
