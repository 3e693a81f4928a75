using Microsoft.Extensions.Logging;
using Overseer.Core.Safety;
using Overseer.Core.Scheduling;
using Overseer.Storage;

namespace Overseer.Core.Sessions;

/// <summary>
/// The shared services every session host uses. <paramref name="RedactSecrets"/> replaces secret
/// values in a text before it is cut to a preview, so no cut can leave half a secret behind.
/// <paramref name="Budgets"/> is null where no budgets are kept (engine tests without them).
/// </summary>
internal sealed record SessionHostServices(IEventStore Store, SessionScheduler Scheduler, IToolGate Gate, SessionOptions Options, ILogger Logger, Agents.IAgentEnvironment Environment, TimeProvider Time,
    Func<string, string> RedactSecrets, Budgets.BudgetGuard? Budgets, BudgetHolds Holds);

/// <summary>What a host restored from the store (after a restart) starts with: the items still open, what the agent must be told, its rate limit's reset.</summary>
internal sealed record SessionRestore(IReadOnlyList<PendingItemRow> Items, string? ResumeNote, DateTimeOffset? RateLimitedUntil, bool Hibernated, PhaseRef? Phase = null);
