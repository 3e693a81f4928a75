using System.Text.Json;

namespace Overseer.Core.Agents.Scripted;

/// <summary>
/// An agent that plays a script: text, thinking, tool calls through the safety gate, questions,
/// sleeps, usage and failures. For demos with no API key, for tests and for load.
/// </summary>
public sealed class ScriptedRuntime : IAgentRuntime
{
    public const string RuntimeName = "scripted";

    public string Name => RuntimeName;

    public RuntimeStatus Status { get; } = new(true, "built in");

    /// <summary>A new connection resuming a conversation plays no script again: it answers the next message.</summary>
    public bool CanHibernate => true;

    public string? Validate(JsonElement? script)
    {
        if (script is not { ValueKind: not JsonValueKind.Null } value)
            return null;
        try
        {
            ScriptParser.Parse(value);
            return null;
        }
        catch (ScriptException ex)
        {
            return ex.Message;
        }
    }

    public Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        var steps = context.Script is { ValueKind: JsonValueKind.Array } script ? ScriptParser.Parse(script) : DemoScript.Steps;
        return Task.FromResult<IAgentConnection>(new ScriptedConnection(context, context.Resume ? null : steps));
    }
}
