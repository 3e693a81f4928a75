namespace Overseer.Prompts;

/// <summary><c>POST /api/prompts/optimize</c>: the prompt to improve; <c>runtime</c>, when given, must be <c>anthropic</c> (the one optimiser there is).</summary>
public sealed record OptimizePromptRequest(string? Prompt, string? Runtime = null);

/// <summary>
/// A suggested rewrite. Nothing is sent to an agent: the person reads <c>diff</c> (the original's
/// words kept, deleted and inserted, in order) and decides. <c>warnings</c> says what to check
/// (a <c>{{placeholder}}</c> the rewrite lost, a suggestion cut at its length limit).
/// </summary>
public sealed record OptimizedPromptDto(string Suggestion, IReadOnlyList<DiffSpan> Diff, string Model, IReadOnlyList<string> Warnings);

/// <summary>One run of the diff: <c>op</c> is <c>equal</c>, <c>delete</c> (only in the original) or <c>insert</c> (only in the suggestion).</summary>
public sealed record DiffSpan(string Op, string Text);
