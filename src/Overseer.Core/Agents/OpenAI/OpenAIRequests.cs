using System.Buffers;
using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// A provider-neutral <see cref="ModelRequest"/> as a chat-completions body: the system prompt
/// first, an assistant's tool calls as <c>tool_calls</c> with their results as <c>tool</c>
/// messages after it, streamed with usage. In plain-chat mode no tools are sent, and calls and
/// results already in the conversation (from before, or from another runtime of a router) are
/// told as text, which every chat model reads.
/// </summary>
internal static class OpenAIRequests
{
    public static byte[] Build(ModelRequest request, bool sendTools)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", request.Model);
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteNumber("max_tokens", request.MaxTokens);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", request.SystemPrompt);
            json.WriteEndObject();
            foreach (var message in request.Messages)
            {
                if (message.Role == ChatRole.Assistant)
                    WriteAssistant(json, message, sendTools);
                else
                    WriteUser(json, message, sendTools);
            }
            json.WriteEndArray();
            if (sendTools && request.Tools.Count > 0)
            {
                json.WriteStartArray("tools");
                foreach (var tool in request.Tools)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", tool.Name);
                    json.WriteString("description", tool.Description);
                    json.WritePropertyName("parameters");
                    tool.InputSchema.WriteTo(json);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                // A summary is asked for in words: the tools stay, unused.
                json.WriteString("tool_choice", request.ToolsAllowed ? "auto" : "none");
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAssistant(Utf8JsonWriter json, ChatMessage message, bool sendTools)
    {
        var text = new StringBuilder();
        var calls = new List<ToolUsePart>();
        foreach (var part in message.Parts)
        {
            switch (part)
            {
                case TextPart t:
                    Append(text, t.Text);
                    break;
                case ToolUsePart use when sendTools:
                    calls.Add(use);
                    break;
                case ToolUsePart use:
                    Append(text, $"[I called the tool {use.Name} with {use.Input.GetRawText()}]");
                    break;
                // Thinking is the Messages API's, signed for it: other providers do not take it back.
            }
        }
        json.WriteStartObject();
        json.WriteString("role", "assistant");
        if (text.Length > 0 || calls.Count == 0)
            json.WriteString("content", text.ToString());
        else
            json.WriteNull("content");
        if (calls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", call.Input.GetRawText());
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>Tool results first (they answer the assistant message just before), then the user's words.</summary>
    private static void WriteUser(Utf8JsonWriter json, ChatMessage message, bool sendTools)
    {
        var text = new StringBuilder();
        foreach (var part in message.Parts)
        {
            switch (part)
            {
                case ToolResultPart result when sendTools:
                    json.WriteStartObject();
                    json.WriteString("role", "tool");
                    json.WriteString("tool_call_id", result.ToolUseId);
                    json.WriteString("content", result.IsError ? "Error: " + result.Content : result.Content);
                    json.WriteEndObject();
                    break;
                case ToolResultPart result:
                    Append(text, $"[{(result.IsError ? "The tool failed" : "The tool answered")}: {result.Content}]");
                    break;
                case TextPart t:
                    Append(text, t.Text);
                    break;
            }
        }
        if (text.Length == 0)
            return;
        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WriteString("content", text.ToString());
        json.WriteEndObject();
    }

    private static void Append(StringBuilder text, string more)
    {
        if (text.Length > 0)
            text.Append("\n\n");
        text.Append(more);
    }
}
