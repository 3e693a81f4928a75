using System.Text.Json;

namespace Overseer.Core.Agents.Loop;

public enum ChatRole
{
    User,
    Assistant,
}

/// <summary>
/// One message of a conversation in no provider's shape: each <see cref="IModelClient"/> turns
/// these into its own wire format. Roles alternate, and every <see cref="ToolUsePart"/> of an
/// assistant message is answered by a <see cref="ToolResultPart"/> in the user message after it
/// (<see cref="ConversationBuilder"/> keeps both true).
/// </summary>
public sealed record ChatMessage(ChatRole Role, IReadOnlyList<ChatPart> Parts);

public abstract record ChatPart;

public sealed record TextPart(string Text) : ChatPart;

/// <summary>
/// The model's reasoning. <paramref name="Signature"/> is the provider's proof that the text is its
/// own (required to send it back); for <paramref name="Redacted"/> thinking it holds the encrypted data.
/// </summary>
public sealed record ThinkingPart(string Text, string? Signature, bool Redacted = false) : ChatPart;

public sealed record ToolUsePart(string Id, string Name, JsonElement Input) : ChatPart;

public sealed record ToolResultPart(string ToolUseId, string Content, bool IsError) : ChatPart;
