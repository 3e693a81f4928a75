using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Overseer.Core.Agents;
using Overseer.Core.Agents.Anthropic;
using Overseer.Core.Agents.OpenAI;
using Overseer.Core.Agents.Router;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Agents.Scripted;
using Overseer.Core.Budgets;
using Overseer.Core.Safety;
using Overseer.Core.Sandbox;
using Overseer.Core.Safety.Policy;
using Overseer.Core.Scheduling;
using Overseer.Core.Secrets;
using Overseer.Core.Sessions;
using Overseer.Core.Workspaces;

namespace Overseer.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The session engine: scheduler, hosts, runtimes, the tool gate seam and projects.</summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.MaxConcurrent is >= 1 and <= 100_000, "Sessions:MaxConcurrent must be between 1 and 100000.")
            .ValidateOnStart();
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section)
            .Validate(o => o.EventPreviewChars is >= SessionOptions.MinEventPreviewChars and <= SessionOptions.MaxEventPreviewChars,
                $"Sessions:EventPreviewChars must be between {SessionOptions.MinEventPreviewChars} and {SessionOptions.MaxEventPreviewChars}.")
            .Validate(o => o.HibernateAfter >= TimeSpan.Zero, "Sessions:HibernateAfter must be zero (never) or a positive time span such as 00:10:00.")
            .Validate(o => o.ApprovalTimeout > TimeSpan.Zero, "Sessions:ApprovalTimeout must be a positive time span such as 00:30:00.")
            .ValidateOnStart();
        services.AddOptions<ProjectOptions>().BindConfiguration(ProjectOptions.Section)
            .Validate(o => o.AllowedRoots.All(Path.IsPathFullyQualified), "Projects:AllowedRoots must hold absolute paths.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionScheduler>();
        services.AddSingleton<SessionManager>();
        services.AddSingleton<Templates.TemplateCatalog>();
        services.AddBudgets();
        services.AddSingleton<ProjectRegistry>();
        services.AddOptions<WorktreeOptions>().BindConfiguration(WorktreeOptions.Section)
            .Validate(o => o.WorktreeRoot is null || Path.IsPathFullyQualified(o.WorktreeRoot), "Workspaces:WorktreeRoot must be an absolute path.")
            .Validate(o => o.MaxDiffChars is >= 1024 and <= 64 * 1024 * 1024, "Workspaces:MaxDiffChars must be between 1024 and 67108864.")
            .ValidateOnStart();
        services.AddSingleton<Worktrees>();
        services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.Section);
        // The policy file is read and validated when the server starts: a bad file stops it
        // with the file, line and field named.
        services.AddSingleton(sp => new PolicyEngine(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SafetyOptions>>().Value.PolicyFile is { Length: > 0 } file
                ? PolicyLoader.Load(file)
                : PolicyLoader.Default));
        services.AddSingleton<AllowRules>();
        services.AddSingleton<PolicyToolGate>();
        // A session may run under a stricter policy than the server's (a runbook's read-only one).
        services.TryAddSingleton<IToolGate>(sp => new SessionPolicyGate(sp.GetRequiredService<PolicyToolGate>(), sp.GetRequiredService<Storage.IEventStore>()));
        services.AddOptions<VaultOptions>().BindConfiguration(VaultOptions.Section);
        services.AddSingleton<SecretVault>();
        services.TryAddSingleton<IAgentEnvironment>(sp => sp.GetRequiredService<SecretVault>());
        // Every append goes through the redactor, whoever makes it.
        var store = services.LastOrDefault(d => d.ServiceType == typeof(Storage.IEventStore));
        if (store is not null)
        {
            services.Remove(store);
            services.AddSingleton<Storage.IEventStore>(sp => new RedactingEventStore(
                (Storage.IEventStore)(store.ImplementationFactory?.Invoke(sp) ?? store.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!)),
                sp.GetRequiredService<SecretVault>()));
        }
        services.AddHostedService<VaultLifetime>();
        services.AddSingleton<IAgentRuntime, ScriptedRuntime>();
        // MCP servers for agents (both runtimes): a mistake in their settings stops start-up naming it.
        services.AddOptions<Agents.Mcp.AgentMcpOptions>().BindConfiguration(Agents.Mcp.AgentMcpOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Agents.Mcp.AgentMcpOptions>, Agents.Mcp.AgentMcpOptionsValidator>();
        services.AddSingleton<Agents.Mcp.AgentMcpServers>();
        services.AddSingleton<Agents.Loop.LoopConnections>();
        services.AddOptions<ClaudeCodeOptions>().BindConfiguration(ClaudeCodeOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ExecutablePath), "Runtimes:ClaudeCode:ExecutablePath must not be empty.")
            .Validate(o => o.MaxLineBytes >= 64 * 1024, "Runtimes:ClaudeCode:MaxLineBytes must be at least 65536.")
            .Validate(o => o.StopGracePeriod >= TimeSpan.Zero && o.SilenceTimeout > TimeSpan.Zero, "Runtimes:ClaudeCode: StopGracePeriod and SilenceTimeout must be positive.")
            .Validate(o => o.MaxStderrLineBytes is >= 256 and <= 1024 * 1024, "Runtimes:ClaudeCode:MaxStderrLineBytes must be between 256 and 1048576.")
            .Validate(o => o.MaxStderrBytes >= 0, "Runtimes:ClaudeCode:MaxStderrBytes must not be negative.")
            .Validate(o => o.MaxAgentErrorsPerTurn >= 1, "Runtimes:ClaudeCode:MaxAgentErrorsPerTurn must be at least 1.")
            .ValidateOnStart();
        services.AddSandbox();
        services.AddSingleton<IAgentRuntime, ClaudeCodeRuntime>();
        services.AddAnthropicRuntime();
        services.AddOpenAIRuntime();
        services.AddRouterRuntime();
        services.AddHostedService<SessionLifetime>();
        return services;
    }
}
