using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Reads one stream-json message from the CLI. Known shapes become typed outputs; anything
/// else is kept verbatim as <c>agent.raw</c>. Fields this code does not know are ignored, since
/// the CLI adds them often.
/// </summary>
internal static class ClaudeMessageParser
{
    public static IReadOnlyList<ClaudeOutput> Parse(JsonElement message)
    {
        var type = Str(message, "type");
        return type switch
        {
            "system" => ParseSystem(message),
            "assistant" => ParseAssistant(message),
            "user" => ParseUser(message),
            "result" => [ParseResult(message)],
            "control_request" => [ParseControlRequest(message)],
            "control_response" or "keep_alive" => [],
            "rate_limit_event" => [new RateLimitInfoOutput(ResetTime(message), message.Clone())],
            _ => [Raw(message)],
        };
    }

    private static IReadOnlyList<ClaudeOutput> ParseSystem(JsonElement message)
    {
        switch (Str(message, "subtype"))
        {
            case "init":
                var tools = message.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array
                    ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                    : null;
                return [new EmitOutput(new AgentStarted(Str(message, "session_id"), Str(message, "model"), Str(message, "claude_code_version"), tools))];
            case "api_retry":
                var retry = new JsonObjectBuilder()
                    .Add("attempt", Num(message, "attempt"))
                    .Add("maxRetries", Num(message, "max_retries"))
                    .Add("delayMs", Num(message, "retry_delay_ms"))
                    .Add("status", Num(message, "error_status"))
                    .Add("error", message.TryGetProperty("error", out var error) ? error.Clone() : (JsonElement?)null);
                return [new EmitOutput(new AgentFact(EventTypes.AgentRetry, retry.Build()))];
            case "task_started" or "task_notification" or "task_progress":
                return [new EmitOutput(new AgentFact("agent.task", message.Clone()))];
            default:
                return [Raw(message)];
        }
    }

    private static IReadOnlyList<ClaudeOutput> ParseAssistant(JsonElement message)
    {
        if (!message.TryGetProperty("message", out var body) || !body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return [Raw(message)];
        var messageId = Str(body, "id");
        var outputs = new List<ClaudeOutput>();
        foreach (var block in content.EnumerateArray())
        {
            switch (Str(block, "type"))
            {
                case "text":
                    outputs.Add(new EmitOutput(new AgentTextEmitted(Str(block, "text") ?? "", messageId)));
                    break;
                case "thinking":
                    outputs.Add(new EmitOutput(new AgentThinkingEmitted(Str(block, "thinking") ?? "", messageId)));
                    break;
                case "redacted_thinking":
                    outputs.Add(new EmitOutput(new AgentThinkingEmitted("(redacted thinking)", messageId)));
                    break;
                case "tool_use" or "server_tool_use":
                    var input = block.TryGetProperty("input", out var i) ? i.Clone() : EmptyObject;
                    outputs.Add(new EmitOutput(new ToolCallRequested(Str(block, "id") ?? "", Str(block, "name") ?? "", input)));
                    break;
                default:
                    outputs.Add(new EmitOutput(new AgentFact(EventTypes.AgentRaw, block.Clone())));
                    break;
            }
        }
        return outputs;
    }

    private static IReadOnlyList<ClaudeOutput> ParseUser(JsonElement message)
    {
        if (!message.TryGetProperty("message", out var body) || !body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return [Raw(message)];
        var outputs = new List<ClaudeOutput>();
        foreach (var block in content.EnumerateArray())
        {
            if (Str(block, "type") == "tool_result")
            {
                var isError = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True;
                outputs.Add(new EmitOutput(new ToolResultEmitted(Str(block, "tool_use_id") ?? "", ResultText(block), isError)));
            }
            else
            {
                outputs.Add(new EmitOutput(new AgentFact(EventTypes.AgentRaw, block.Clone())));
            }
        }
        return outputs;
    }

    private static TurnResultOutput ParseResult(JsonElement message)
    {
        long input = 0, output = 0, cacheRead = 0;
        if (message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            input = Num(usage, "input_tokens") + Num(usage, "cache_creation_input_tokens");
            output = Num(usage, "output_tokens");
            cacheRead = Num(usage, "cache_read_input_tokens");
        }
        string? model = null;
        if (message.TryGetProperty("modelUsage", out var models) && models.ValueKind == JsonValueKind.Object)
            model = models.EnumerateObject().Select(m => m.Name).FirstOrDefault();
        decimal? cost = message.TryGetProperty("total_cost_usd", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetDecimal(out var d) ? d : null;
        int? status = message.TryGetProperty("api_error_status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var code) ? code : null;
        var isError = message.TryGetProperty("is_error", out var ie) && ie.ValueKind == JsonValueKind.True;
        var result = Str(message, "result");
        if (result is null && message.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            result = string.Join("; ", errors.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
        return new TurnResultOutput(Str(message, "subtype") ?? "", isError, status, result, model, input, output, cacheRead, cost, message.Clone());
    }

    private static ClaudeOutput ParseControlRequest(JsonElement message)
    {
        var requestId = Str(message, "request_id") ?? "";
        if (!message.TryGetProperty("request", out var request))
            return new UnsupportedRequestOutput(requestId, "(none)");
        var subtype = Str(request, "subtype") ?? "(none)";
        if (subtype != "can_use_tool")
            return new UnsupportedRequestOutput(requestId, subtype);
        var input = request.TryGetProperty("input", out var i) ? i.Clone() : EmptyObject;
        return new PermissionRequestOutput(requestId, Str(request, "tool_name") ?? "", input, Str(request, "tool_use_id"));
    }

    /// <summary>The reset time of a rate limit, from the fields the CLI has been seen to use.</summary>
    private static DateTimeOffset? ResetTime(JsonElement message)
    {
        var info = message.TryGetProperty("rate_limit_info", out var nested) ? nested : message;
        foreach (var name in new[] { "resetsAt", "resets_at", "reset_at", "resetAt" })
        {
            if (!info.TryGetProperty(name, out var value))
                continue;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds))
                return seconds > 10_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(seconds) : DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
                return at;
        }
        return null;
    }

    private static string ResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content))
            return "";
        if (content.ValueKind == JsonValueKind.String)
            return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            return content.GetRawText();
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append(Str(part, "type") == "text" ? Str(part, "text") : "[" + (Str(part, "type") ?? "content") + "]");
        }
        return text.ToString();
    }

    private static ClaudeOutput Raw(JsonElement message) => new EmitOutput(new AgentFact(EventTypes.AgentRaw, message.Clone()));

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole number, rounding one the CLI sent with a fraction (retry_delay_ms is 590.48...).</summary>
    private static long Num(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var n) ? n : (long)Math.Round(value.GetDouble())
            : 0;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
}
