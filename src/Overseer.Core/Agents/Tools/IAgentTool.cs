using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// A built-in tool of Overseer's own agent loop, shaped like Claude Code's tool of the same name
/// (input and result), so the gate's policy, the dashboard and the CLI treat both runtimes alike.
/// A tool runs only after the gate allowed the call; bad input is an error result, never an exception.
/// </summary>
public interface IAgentTool
{
    ToolDefinition Definition { get; }

    Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken);
}

/// <summary>What the model reads back as the tool's result.</summary>
public sealed record ToolOutcome(string Content, bool IsError = false)
{
    public static ToolOutcome Error(string message) => new(message, true);
}
