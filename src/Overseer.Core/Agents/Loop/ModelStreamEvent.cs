namespace Overseer.Core.Agents.Loop;

/// <summary>What a model call streams back, in order (see <see cref="IModelClient.StreamAsync"/>).</summary>
public abstract record ModelStreamEvent;

/// <summary>The call is answered; <paramref name="Usage"/> counts its prompt (output comes with <see cref="ModelMessageCompleted"/>).</summary>
public sealed record ModelMessageStarted(string MessageId, string Model, ModelUsage Usage) : ModelStreamEvent;

/// <summary>More text of the content block at <paramref name="Index"/> (kept by the loop should the call be cut off).</summary>
public sealed record ModelTextDelta(int Index, string Text) : ModelStreamEvent;

/// <summary>More thinking of the content block at <paramref name="Index"/>.</summary>
public sealed record ModelThinkingDelta(int Index, string Text) : ModelStreamEvent;

/// <summary>A content block is complete: text, thinking (with its signature) or a tool call (with its whole input).</summary>
public sealed record ModelBlockCompleted(int Index, ChatPart Part) : ModelStreamEvent;

/// <summary>The call is over: why the model stopped, and what it used.</summary>
public sealed record ModelMessageCompleted(ModelStopReason StopReason, ModelUsage Usage) : ModelStreamEvent;

/// <summary>
/// Tokens of one call. <paramref name="InputTokens"/> excludes the prompt cache's reads and writes,
/// which are counted apart because they are priced apart.
/// </summary>
public sealed record ModelUsage(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens)
{
    public static readonly ModelUsage None = new(0, 0, 0, 0);

    /// <summary>The whole prompt the call carried: what the next call's prompt starts from.</summary>
    public long PromptTokens => InputTokens + CacheReadTokens + CacheWriteTokens;
}

public enum ModelStopReason
{
    EndTurn,
    ToolUse,
    /// <summary>The output limit cut the answer off: the loop asks the model to go on.</summary>
    MaxTokens,
    StopSequence,
    Refusal,
    /// <summary>The prompt no longer fits the model's window: the loop compacts and calls again.</summary>
    ContextWindowExceeded,
    Other,
}
