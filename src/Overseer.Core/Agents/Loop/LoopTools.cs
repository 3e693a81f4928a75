using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;

namespace Overseer.Core.Agents.Loop;

/// <summary>The tools' view of one session (its files, sandbox, network and limits), the same for every runtime on the loop.</summary>
internal static class LoopTools
{
    public static ToolContext For(AgentStartContext context, SandboxOptions wall, SessionOptions sessions, IAgentSandbox sandbox, ToolLimits limits)
    {
        if (!Directory.Exists(context.WorkingDirectory))
            throw new InvalidOperationException($"The project directory '{context.WorkingDirectory}' does not exist.");
        var network = wall.For(context.ProjectName).Network == NetworkAccess.Full;
        return new ToolContext(context.SessionId, context.ProjectName, new FileScope(context.WorkingDirectory, wall.ReadOnlyPaths, wall.GitConfigWritable),
            sandbox, context.Environment, network, limits, sessions.AgentOwner);
    }
}
