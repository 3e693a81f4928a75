using System.Text.Json;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// One call of a model: the whole conversation so far (a model remembers nothing between calls),
/// the tools it may use, and how much it may write and think.
/// </summary>
/// <param name="ThinkingBudgetTokens">Tokens of extended thinking the model may spend; 0 is none.</param>
/// <param name="ToolsAllowed">False asks for a plain answer (a summary) while still sending the same tools, so the prompt cache is kept.</param>
public sealed record ModelRequest(
    string Model,
    string SystemPrompt,
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<ToolDefinition> Tools,
    int MaxTokens,
    int ThinkingBudgetTokens,
    bool ToolsAllowed = true);

/// <summary>A tool as the model is told of it: its name, what it does and its input's JSON schema.</summary>
public sealed record ToolDefinition(string Name, string Description, JsonElement InputSchema);
