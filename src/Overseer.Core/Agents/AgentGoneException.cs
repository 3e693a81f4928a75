namespace Overseer.Core.Agents;

/// <summary>The agent process has gone away.</summary>
public sealed class AgentGoneException(string message) : Exception(message);
