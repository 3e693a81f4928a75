namespace Overseer.Core.Agents;

/// <summary>A running agent, driven by its session's host (one caller at a time).</summary>
public interface IAgentConnection : IAsyncDisposable
{
    /// <summary>Starts a turn with this user message.</summary>
    Task SendAsync(string text, CancellationToken cancellationToken);

    /// <summary>Aborts the current turn; the agent answers with <see cref="TurnEnded"/>.</summary>
    Task InterruptAsync(CancellationToken cancellationToken);

    /// <summary>Holds the agent where it is until <see cref="ResumeAsync"/>.</summary>
    Task PauseAsync(CancellationToken cancellationToken);

    Task ResumeAsync(CancellationToken cancellationToken);

    /// <summary>Ends the agent for good (cancel, close, shutdown).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
