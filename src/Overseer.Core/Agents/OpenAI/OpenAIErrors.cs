using System.Text.Json;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>What an OpenAI-compatible server says went wrong, in the shapes servers use.</summary>
internal static class OpenAIErrors
{
    /// <summary>
    /// The message of an error body: <c>{"error": {"message": …}}</c> (OpenAI, vLLM, LM Studio),
    /// <c>{"error": "…"}</c> (Ollama), <c>{"message": …}</c>, or the text itself, cut short.
    /// </summary>
    public static string FromBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                    return Message(error);
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return message.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
        var text = body.Trim();
        return text.Length == 0 ? "no message" : text.Length > 500 ? text[..500] + "…" : text;
    }

    public static string Message(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString()!,
        _ => error.GetRawText(),
    };

    /// <summary>A refusal that says the model cannot take tools (Ollama: "… does not support tools").</summary>
    public static bool NoToolSupport(string message) =>
        message.Contains("tool", StringComparison.OrdinalIgnoreCase)
        && (message.Contains("support", StringComparison.OrdinalIgnoreCase) || message.Contains("not ", StringComparison.OrdinalIgnoreCase));

    /// <summary>A refusal that says the prompt is longer than the model's window: compacting may cure it.</summary>
    public static bool PromptTooLong(string message) =>
        message.Contains("context length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context window", StringComparison.OrdinalIgnoreCase)
        || message.Contains("maximum context", StringComparison.OrdinalIgnoreCase)
        || message.Contains("too long", StringComparison.OrdinalIgnoreCase);
}
