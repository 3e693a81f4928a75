namespace Overseer.Core.Agents.Tools;

/// <summary>A tool call the tool cannot carry out as asked; its message is the tool's error result.</summary>
public sealed class ToolInputException(string message) : Exception(message);
