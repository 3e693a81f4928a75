using System.Text.Json;
using Anthropic.Models.Messages;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// A provider-neutral <see cref="ModelRequest"/> as the Messages API takes it, with prompt caching:
/// a breakpoint after the system prompt (which follows the tools, so both are cached) and one on
/// the last block of the conversation, so each call reads what the one before it wrote.
/// </summary>
internal static class AnthropicRequests
{
    public static MessageCreateParams Build(ModelRequest request)
    {
        var messages = new List<MessageParam>(request.Messages.Count);
        for (var i = 0; i < request.Messages.Count; i++)
            messages.Add(Message(request.Messages[i], cacheLast: i == request.Messages.Count - 1));
        var parameters = new MessageCreateParams
        {
            Model = request.Model,
            MaxTokens = request.MaxTokens,
            System = new List<TextBlockParam> { new() { Text = request.SystemPrompt, CacheControl = new CacheControlEphemeral() } },
            Messages = messages,
            Tools = [.. request.Tools.Select(Tool)],
        };
        if (!request.ToolsAllowed)
            parameters = parameters with { ToolChoice = new ToolChoice(new ToolChoiceNone()) };
        if (request.ThinkingBudgetTokens > 0)
            parameters = parameters with { Thinking = new ThinkingConfigParam(new ThinkingConfigEnabled(request.ThinkingBudgetTokens)) };
        return parameters;
    }

    private static ToolUnion Tool(ToolDefinition definition) => new Tool
    {
        Name = definition.Name,
        Description = definition.Description,
        InputSchema = InputSchema.FromRawUnchecked(Object(definition.InputSchema)),
    };

    private static MessageParam Message(ChatMessage message, bool cacheLast)
    {
        var blocks = new List<ContentBlockParam>(message.Parts.Count);
        for (var i = 0; i < message.Parts.Count; i++)
            blocks.Add(Block(message.Parts[i], cacheLast && i == message.Parts.Count - 1));
        var content = new MessageContentParam(blocks);
        return message.Role == ChatRole.User
            ? new MessageParam(new UserMessageParam(content))
            : new MessageParam(new AssistantMessageParam(content));
    }

    private static ContentBlockParam Block(ChatPart part, bool cache)
    {
        var breakpoint = cache ? new CacheControlEphemeral() : null;
        return part switch
        {
            TextPart text => new ContentBlockParam(new TextBlockParam { Text = text.Text, CacheControl = breakpoint }),
            ThinkingPart { Redacted: true } redacted => new ContentBlockParam(new RedactedThinkingBlockParam { Data = redacted.Signature ?? "" }),
            ThinkingPart thinking => new ContentBlockParam(new ThinkingBlockParam { Thinking = thinking.Text, Signature = thinking.Signature ?? "" }),
            ToolUsePart use => new ContentBlockParam(new ToolUseBlockParam { ID = use.Id, Name = use.Name, Input = Object(use.Input), CacheControl = breakpoint }),
            ToolResultPart result => new ContentBlockParam(new ToolResultBlockParam
            {
                ToolUseID = result.ToolUseId,
                Content = new ToolResultBlockParamContent(result.Content),
                IsError = result.IsError ? true : null,
                CacheControl = breakpoint,
            }),
            _ => throw new ArgumentException($"Unknown part {part.GetType().Name}.", nameof(part)),
        };
    }

    private static Dictionary<string, JsonElement> Object(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
            ? json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : [];
}
