using System.Text.Json.Nodes;

namespace Overseer.TestKit.Anthropic;

/// <summary>One content block of a scripted assistant message.</summary>
public abstract record MockContentBlock;

/// <summary>A <c>text</c> block.</summary>
public sealed record MockTextBlock(string Text) : MockContentBlock;

/// <summary>
/// A <c>tool_use</c> block. <see cref="Id"/> null means the server assigns a unique
/// <c>toolu_mock_N</c> id when it serves the reply.
/// </summary>
public sealed record MockToolUseBlock(string Name, JsonObject Input, string? Id) : MockContentBlock;

/// <summary>A <c>thinking</c> block (extended thinking), streamed as <c>thinking_delta</c>s then one <c>signature_delta</c>.</summary>
public sealed record MockThinkingBlock(string Thinking, string Signature) : MockContentBlock;
