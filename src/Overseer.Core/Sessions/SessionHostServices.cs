using Microsoft.Extensions.Logging;
using Overseer.Core.Safety;
using Overseer.Core.Scheduling;
using Overseer.Storage;

namespace Overseer.Core.Sessions;

/// <summary>The shared services every session host uses.</summary>
internal sealed record SessionHostServices(IEventStore Store, SessionScheduler Scheduler, IToolGate Gate, SessionOptions Options, ILogger Logger, Agents.IAgentEnvironment Environment);
