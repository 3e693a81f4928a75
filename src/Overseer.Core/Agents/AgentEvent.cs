using System.Text.Json;

namespace Overseer.Core.Agents;

/// <summary>What an agent tells its session; the host turns each into stored events and state changes.</summary>
public abstract record AgentEvent;

public sealed record AgentStarted(string? AgentSessionId, string? Model, string? Version = null, IReadOnlyList<string>? Tools = null, int? ProcessId = null) : AgentEvent;

/// <summary>The agent wants to use a tool (recorded when the model asks, before any decision).</summary>
public sealed record ToolCallRequested(string ToolUseId, string Name, JsonElement Input) : AgentEvent;

/// <summary>The provider refused for rate limits; the session waits until <paramref name="ResetsAt"/> (or backs off).</summary>
public sealed record RateLimited(DateTimeOffset? ResetsAt, string Message) : AgentEvent;

public sealed record AgentTextEmitted(string Text, string? MessageId = null) : AgentEvent;

/// <param name="Signature">The provider's signature of the thinking (or, when <paramref name="Redacted"/>, its encrypted data), kept so the conversation can be sent back.</param>
public sealed record AgentThinkingEmitted(string Text, string? MessageId = null, string? Signature = null, bool Redacted = false) : AgentEvent;

public sealed record ToolResultEmitted(string ToolUseId, string Output, bool IsError) : AgentEvent;

public sealed record UsageReported(string? Model, long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd) : AgentEvent;

/// <summary>Any other agent fact, stored under its own type (agent.raw, agent.retry, agent.stderr, ...).</summary>
public sealed record AgentFact(string Type, JsonElement Data) : AgentEvent;

/// <summary>The agent began a phase of its work (seed 003's progress); without a number, the next one.</summary>
public sealed record PhaseStarted(string? Name, int? Index = null, int? Total = null) : AgentEvent;

/// <summary>How far the agent is in its current phase: a percentage (0–100), and step <paramref name="Step"/> of <paramref name="Steps"/> when it counts them.</summary>
public sealed record StepUpdated(int Percent, string? Text = null, int? Step = null, int? Steps = null) : AgentEvent;

/// <summary>The turn finished: the session goes idle (or fails when <paramref name="Error"/> is set).</summary>
public sealed record TurnEnded(string? Error = null, bool Interrupted = false) : AgentEvent;

/// <summary>The agent is gone (process exit); unexpected while a turn runs.</summary>
public sealed record AgentExited(int? ExitCode, string? Detail) : AgentEvent;
