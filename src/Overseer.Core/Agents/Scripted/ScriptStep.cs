using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.Scripted;

/// <summary>One step of a scripted agent's turn.</summary>
public abstract record ScriptStep;

public sealed record SayStep(string Text) : ScriptStep;

public sealed record ThinkStep(string Text) : ScriptStep;

public sealed record ToolStep(string Name, JsonElement Input, string? Output, bool IsError) : ScriptStep;

public sealed record AskStep(QuestionItem Question) : ScriptStep;

public sealed record SleepStep(int Milliseconds) : ScriptStep;

public sealed record UsageStep(long InputTokens, long OutputTokens, decimal CostUsd, string? Model) : ScriptStep;

public sealed record FailStep(string Message) : ScriptStep;

/// <summary>Hands a plan to a person and waits for approve or request-changes.</summary>
public sealed record PlanStep(string Plan) : ScriptStep;

/// <summary>Begins a phase (<c>phase.started</c>); without an index, the one after the last.</summary>
public sealed record PhaseStep(string Name, int? Index, int? Total) : ScriptStep;

/// <summary>Reports progress in the current phase (<c>step.updated</c>).</summary>
public sealed record ProgressStep(int Percent, string? Text, int? Step, int? Steps) : ScriptStep;
