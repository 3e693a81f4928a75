using Microsoft.Extensions.Hosting;

namespace Overseer.Core.Agents.Loop;

/// <summary>Starts each configured loop runtime's first readiness check with the server, so <c>/health</c> has an answer soon.</summary>
internal sealed class LoopRuntimesStartupCheck(IEnumerable<ILoopRuntime> runtimes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runtime in runtimes.Where(r => r.Configured))
            runtime.BeginReadinessCheck();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
