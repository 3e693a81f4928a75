using Microsoft.Extensions.Hosting;

namespace Overseer.Core.Sessions;

/// <summary>Recovers sessions when the server starts and interrupts them when it stops.</summary>
internal sealed class SessionLifetime(SessionManager manager) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => manager.RecoverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => manager.ShutdownAsync(cancellationToken);
}
