using Microsoft.Extensions.Hosting;

namespace Overseer.Core.Secrets;

/// <summary>Opens the vault at start-up, before any session runs, so redaction is in force from the first event.</summary>
internal sealed class VaultLifetime(SecretVault vault) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => vault.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
