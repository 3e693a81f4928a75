using System.Text.Json;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// One fact of a conversation, exactly as the session's event log records it (one entry per
/// event): the loop keeps these while it runs, and <see cref="TranscriptLog"/> reads them back
/// after a restart, so both build the same messages (<see cref="ConversationBuilder"/>).
/// </summary>
public abstract record TranscriptEntry
{
    /// <summary>Whether the entry belongs to the model's side of the conversation.</summary>
    public abstract bool FromModel { get; }

    /// <summary>About how many tokens the entry adds to a prompt (four characters a token).</summary>
    public abstract long EstimatedTokens { get; }

    private protected static long Estimate(int chars) => (chars + 3) / 4;
}

/// <summary>A message to the agent: a person's, the first prompt, an answer forwarded by the session (<c>user.message</c>).</summary>
public sealed record UserTextEntry(string Text) : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => Estimate(Text.Length);
}

/// <summary>A person interrupted the turn: the next message tells the model so.</summary>
public sealed record InterruptedEntry : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => 0;
}

/// <summary>The model stopped at its output limit and the loop asked it to go on (<c>agent.continued</c>).</summary>
public sealed record ContinuedEntry(string Prompt) : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => Estimate(Prompt.Length);
}

/// <summary>What replaced the older conversation when it was compacted.</summary>
public sealed record SummaryEntry(string Summary) : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => Estimate(Summary.Length);
}

/// <summary>
/// The conversation was compacted (<c>agent.compacted</c>): everything before the last
/// <paramref name="KeptEntries"/> entries gives way to <paramref name="Summary"/>.
/// </summary>
public sealed record CompactedEntry(string Summary, int KeptEntries) : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => 0;
}

public sealed record AssistantTextEntry(string Text) : TranscriptEntry
{
    public override bool FromModel => true;

    public override long EstimatedTokens => Estimate(Text.Length);
}

public sealed record ThinkingEntry(string Text, string? Signature, bool Redacted) : TranscriptEntry
{
    public override bool FromModel => true;

    public override long EstimatedTokens => Estimate(Text.Length + (Signature?.Length ?? 0));
}

public sealed record ToolUseEntry(string Id, string Name, JsonElement Input) : TranscriptEntry
{
    public override bool FromModel => true;

    public override long EstimatedTokens => Estimate(Name.Length + Input.GetRawText().Length);
}

public sealed record ToolResultEntry(string ToolUseId, string Content, bool IsError) : TranscriptEntry
{
    public override bool FromModel => false;

    public override long EstimatedTokens => Estimate(Content.Length);
}
