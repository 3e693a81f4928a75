using System.Text.Json;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>What one line of the CLI's stdout means to the connection.</summary>
internal abstract record ClaudeOutput;

/// <summary>Becomes an event as it is.</summary>
internal sealed record EmitOutput(AgentEvent Event) : ClaudeOutput;

/// <summary><c>can_use_tool</c>: the CLI waits until the host answers.</summary>
internal sealed record PermissionRequestOutput(string RequestId, string ToolName, JsonElement Input, string? ToolUseId) : ClaudeOutput;

/// <summary>A control request the host does not serve (hooks, MCP messages); answered with an error.</summary>
internal sealed record UnsupportedRequestOutput(string RequestId, string Subtype) : ClaudeOutput;

/// <summary>The CLI's <c>result</c>: the turn is over.</summary>
internal sealed record TurnResultOutput(
    string Subtype,
    bool IsError,
    int? ApiErrorStatus,
    string? Result,
    string? Model,
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens,
    decimal? TotalCostUsd,
    JsonElement Raw) : ClaudeOutput;

/// <summary>A <c>rate_limit_event</c>: remembered for when a turn ends on a 429.</summary>
internal sealed record RateLimitInfoOutput(DateTimeOffset? ResetsAt, JsonElement Raw) : ClaudeOutput;

/// <summary>A line that could not be read as the protocol says; becomes an <c>agent.error</c> of this kind.</summary>
internal sealed record InvalidOutput(string Kind, string Message) : ClaudeOutput;

/// <summary>
/// A control request that could not be read: answered with an error so the CLI does not wait
/// forever. <paramref name="RequestIdJson"/> is the id as the CLI wrote it (a JSON token), echoed
/// back verbatim even when it does not decode.
/// </summary>
internal sealed record BadRequestOutput(string? RequestIdJson, string Problem) : ClaudeOutput;
