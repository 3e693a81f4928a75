using Microsoft.Extensions.Hosting;

namespace Overseer.Core.Sessions;

/// <summary>Recovers sessions when the server starts and interrupts them when it stops.</summary>
internal sealed class SessionLifetime(SessionManager manager, Microsoft.Extensions.Options.IOptions<SessionOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // No agent of a crashed run may outlive it: stop them before their sessions are recovered.
        if (options.Value.AgentOwner is { } owner)
            Agents.OrphanReaper.Reap(owner);
        return manager.RecoverAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => manager.ShutdownAsync(cancellationToken);
}
