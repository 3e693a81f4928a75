using System.Text.Json.Nodes;

namespace Overseer.TestKit.Anthropic;

/// <summary>A reply block with its tool id settled, in the shapes the API uses for it.</summary>
internal sealed record ServedBlock(MockContentBlock Block, string? ToolUseId)
{
    /// <summary>The text a streamed reply spreads over its deltas: the text itself, or the tool input as JSON.</summary>
    public string DeltaText => Block switch
    {
        MockTextBlock text => text.Text,
        MockToolUseBlock tool => tool.Input.ToJsonString(),
        MockThinkingBlock thinking => thinking.Thinking,
        _ => throw new InvalidOperationException($"Unknown block {Block}."),
    };

    /// <summary>The <c>content_block</c> of <c>content_block_start</c>: empty text, or the tool call with empty input.</summary>
    public JsonObject Start() => Block switch
    {
        MockTextBlock => new JsonObject { ["type"] = "text", ["text"] = "" },
        MockToolUseBlock tool => new JsonObject { ["type"] = "tool_use", ["id"] = ToolUseId, ["name"] = tool.Name, ["input"] = new JsonObject() },
        MockThinkingBlock => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
        _ => throw new InvalidOperationException($"Unknown block {Block}."),
    };

    public JsonObject Delta(string piece) => Block switch
    {
        MockTextBlock => new JsonObject { ["type"] = "text_delta", ["text"] = piece },
        MockThinkingBlock => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = piece },
        _ => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece },
    };

    /// <summary>The delta that closes a block, if it has one: a thinking block's signature.</summary>
    public JsonObject? FinalDelta() => Block is MockThinkingBlock thinking
        ? new JsonObject { ["type"] = "signature_delta", ["signature"] = thinking.Signature }
        : null;

    /// <summary>The finished block, as a non-streaming message contains it.</summary>
    public JsonObject Complete() => Block switch
    {
        MockTextBlock text => new JsonObject { ["type"] = "text", ["text"] = text.Text },
        MockToolUseBlock tool => new JsonObject { ["type"] = "tool_use", ["id"] = ToolUseId, ["name"] = tool.Name, ["input"] = tool.Input.DeepClone() },
        MockThinkingBlock thinking => new JsonObject { ["type"] = "thinking", ["thinking"] = thinking.Thinking, ["signature"] = thinking.Signature },
        _ => throw new InvalidOperationException($"Unknown block {Block}."),
    };
}
