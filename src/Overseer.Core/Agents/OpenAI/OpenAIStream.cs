using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// Reads a streamed chat completion (server-sent events, one <c>data:</c> chunk each, ending in
/// <c>data: [DONE]</c>): <c>delta.content</c> streams as text, <c>delta.tool_calls</c> are put
/// together by their index (the id and name come first, the arguments in pieces), and
/// <c>finish_reason</c> and the last chunk's <c>usage</c> end the message. The text is block 0 and
/// tool call <c>i</c> block <c>i + 1</c>.
/// </summary>
internal static class OpenAIStream
{
    public static async IAsyncEnumerable<ModelStreamEvent> ReadAsync(Stream body, string requestedModel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = new StringBuilder();
        var calls = new SortedDictionary<int, Call>();
        var started = false;
        string? finish = null;
        var usage = ModelUsage.None;
        var done = false;
        while (!done && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue; // blank lines end events; comments (": ping") and other fields carry nothing
            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                done = true;
                break;
            }
            using var chunk = JsonDocument.Parse(data);
            var root = chunk.RootElement;
            if (root.TryGetProperty("error", out var error))
                throw new ModelUnavailableException($"The endpoint stopped the answer: {OpenAIErrors.Message(error)}");
            if (!started)
            {
                started = true;
                var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
                var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } named ? named : requestedModel;
                yield return new ModelMessageStarted(id, model, ModelUsage.None);
            }
            if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
                usage = Usage(u);
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                {
                    if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } piece)
                    {
                        text.Append(piece);
                        yield return new ModelTextDelta(0, piece);
                    }
                    if (delta.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var call in toolCalls.EnumerateArray())
                            Add(calls, call);
                    }
                }
                if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                    finish = reason.GetString();
            }
        }
        if (finish is null && !done)
            throw new ModelUnavailableException("The endpoint's stream ended before the answer was complete.");
        if (!started)
            yield return new ModelMessageStarted("", requestedModel, ModelUsage.None);
        if (text.Length > 0)
            yield return new ModelBlockCompleted(0, new TextPart(text.ToString()));
        foreach (var (index, call) in calls)
            yield return new ModelBlockCompleted(index + 1, new ToolUsePart(call.Id ?? "call_" + Guid.NewGuid().ToString("N")[..24], call.Name, Input(call.Arguments.ToString())));
        var stop = finish switch
        {
            "stop" => calls.Count > 0 ? ModelStopReason.ToolUse : ModelStopReason.EndTurn,
            "tool_calls" or "function_call" => ModelStopReason.ToolUse,
            "length" => ModelStopReason.MaxTokens,
            "content_filter" => ModelStopReason.Refusal,
            _ => calls.Count > 0 ? ModelStopReason.ToolUse : ModelStopReason.EndTurn,
        };
        yield return new ModelMessageCompleted(stop, usage);
    }

    private static void Add(SortedDictionary<int, Call> calls, JsonElement piece)
    {
        var index = piece.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : calls.Count;
        if (!calls.TryGetValue(index, out var call))
            calls[index] = call = new Call();
        if (piece.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } known)
            call.Id = known;
        if (!piece.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            return;
        if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            call.Name += name.GetString();
        if (function.TryGetProperty("arguments", out var arguments))
        {
            // Mostly a string in pieces; a few local servers send the whole object instead.
            call.Arguments.Append(arguments.ValueKind == JsonValueKind.String ? arguments.GetString() : arguments.GetRawText());
        }
    }

    /// <summary>
    /// Tokens of the call. Cached prompt tokens (<c>prompt_tokens_details.cached_tokens</c>) count as
    /// cache reads, the rest of the prompt as input; nothing is a cache write.
    /// </summary>
    private static ModelUsage Usage(JsonElement usage)
    {
        var prompt = usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var pt) ? pt : 0;
        var completion = usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt64(out var ct) ? ct : 0;
        var cached = usage.TryGetProperty("prompt_tokens_details", out var d) && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("cached_tokens", out var k) && k.TryGetInt64(out var kt) ? Math.Min(kt, prompt) : 0;
        return new ModelUsage(prompt - cached, completion, cached, 0);
    }

    private static JsonElement Input(string json)
    {
        if (!string.IsNullOrWhiteSpace(json))
        {
            try
            {
                var parsed = JsonDocument.Parse(json).RootElement;
                if (parsed.ValueKind == JsonValueKind.Object)
                    return parsed;
            }
            catch (JsonException)
            {
                // Cut off mid-arguments (the output limit) or not JSON: the tool says what is missing.
            }
        }
        return JsonDocument.Parse("{}").RootElement;
    }

    private sealed class Call
    {
        public string? Id { get; set; }

        public string Name { get; set; } = "";

        public StringBuilder Arguments { get; } = new();
    }
}
