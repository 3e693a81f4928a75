using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Overseer.Core.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>The wall around agent processes: bubblewrap unless <c>Sandbox:Mode</c> is explicitly off.</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.BubblewrapPath), "Sandbox:BubblewrapPath must not be empty.")
            .Validate(o => o.HomesDirectory is null || Path.IsPathFullyQualified(o.HomesDirectory), "Sandbox:HomesDirectory must be an absolute path.")
            .Validate(o => o.ReadOnlyPaths.All(Path.IsPathFullyQualified), "Sandbox:ReadOnlyPaths must hold absolute paths.")
            .Validate(o => Valid(o.Limits.MemoryMb, o.Limits.Processes, o.Limits.FileSizeMb, o.Limits.CpuPercent)
                && o.Projects.Values.All(p => Valid(p.MemoryMb ?? 0, p.Processes ?? 0, p.FileSizeMb ?? 0, p.CpuPercent ?? 0)),
                "Sandbox limits must be 0 (none) or positive: MemoryMb at least 64, Processes at least 16, CpuPercent at least 10.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IAgentSandbox, AgentSandbox>();
        return services;
    }

    private static bool Valid(long memoryMb, int processes, long fileSizeMb, int cpuPercent) =>
        memoryMb is 0 or >= 64 && processes is 0 or >= 16 && fileSizeMb >= 0 && cpuPercent is 0 or >= 10;
}
