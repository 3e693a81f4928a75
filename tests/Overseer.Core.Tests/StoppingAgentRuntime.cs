using System.Text.Json;
using Overseer.Core.Agents;

namespace Overseer.Core.Tests;

/// <summary>
/// A hand-written agent whose output is still being delivered when it is stopped: like the
/// scripted agent (and any agent with an output pump), StopAsync cancels its token and then
/// waits for the pump, which is in the middle of reporting one more event to the session.
/// </summary>
internal sealed class StoppingAgentRuntime : IAgentRuntime
{
    public const string RuntimeName = "stopping";

    public string Name => RuntimeName;

    public RuntimeStatus Status { get; } = new(true, "test");

    public bool CanHibernate => false;

    public string? Validate(JsonElement? script) => null;

    public Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IAgentConnection>(new Connection(context.Sink));

    private sealed class Connection(IAgentSink sink) : IAgentConnection
    {
        public Task SendAsync(string text, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task InterruptAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PauseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ResumeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            using var stopping = new CancellationTokenSource();
            // The output pump reports a line that arrived just as the stop came in (the session
            // queues it at once and the pump awaits the session's reply)...
            var pump = sink.EmitAsync(new AgentTextEmitted("last line"), stopping.Token);
            // ...then the agent is told to stop, and waits for its pump to finish.
            await stopping.CancelAsync();
            try
            {
                await pump;
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-delivery, as asked.
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
