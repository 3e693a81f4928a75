using System.Text;
using System.Text.Json;
using Overseer.Contracts.Text;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Reads one stream-json message from the CLI. Known shapes become typed outputs; anything
/// else is kept verbatim as <c>agent.raw</c>. Fields this code does not know are ignored, since
/// the CLI adds them often.
/// </summary>
internal static class ClaudeMessageParser
{
    /// <summary>Highest running cost (USD) believed; a larger or negative one is a broken report.</summary>
    public const decimal MaxCostUsd = 1_000_000m;

    /// <summary>Most tokens one report may claim; more is a broken report, not usage.</summary>
    public const long MaxTokens = 1_000_000_000_000;

    /// <summary>
    /// Reads one stdout line. Never throws: a line that is not JSON or not the protocol's shape
    /// becomes an <see cref="InvalidOutput"/>, so one bad line cannot stop the reader.
    /// </summary>
    public static IReadOnlyList<ClaudeOutput> ParseLine(ReadOnlyMemory<byte> line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return [new InvalidOutput("not_json", $"The agent wrote a line that is not JSON ({ex.Message}): {Preview(line.Span)}")];
        }
        using (document)
            return Parse(document.RootElement);
    }

    /// <summary>Reads one parsed message; never throws (see <see cref="ParseLine"/>).</summary>
    public static IReadOnlyList<ClaudeOutput> Parse(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
            return [new InvalidOutput("malformed_message", $"The agent wrote a JSON {Describe(message.ValueKind)} where a message object belongs; it was ignored.")];
        // The same check as for every request body: on the element's own UTF-8, no copy.
        if (JsonTextCheck.Find(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(message)) is { } unreadable)
        {
            var problem = $"The agent wrote a message that was ignored: {unreadable.Detail}";
            return IsControlRequest(message)
                ? [new BadRequestOutput(RawId(message), problem), new InvalidOutput("invalid_text", problem)]
                : [new InvalidOutput("invalid_text", problem)];
        }
        try
        {
            return ParseMessage(message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            // A shape this code did not foresee: reported, never thrown out of the reader.
            var problem = $"The agent wrote a '{Str(message, "type")}' message Overseer could not read ({ex.GetType().Name}: {ex.Message}); it was ignored.";
            return IsControlRequest(message)
                ? [new BadRequestOutput(RawId(message), problem), new InvalidOutput("malformed_message", problem)]
                : [new InvalidOutput("malformed_message", problem)];
        }
    }

    private static IReadOnlyList<ClaudeOutput> ParseMessage(JsonElement message)
    {
        var type = Str(message, "type");
        return type switch
        {
            "system" => ParseSystem(message),
            "assistant" => ParseAssistant(message),
            "user" => ParseUser(message),
            "result" => ParseResult(message),
            "control_request" => [ParseControlRequest(message)],
            "control_response" or "keep_alive" => [],
            "rate_limit_event" => ParseRateLimit(message),
            _ => [Raw(message)],
        };
    }

    private static bool IsControlRequest(JsonElement message) =>
        message.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("control_request");

    // An id that is not UTF-8 cannot be echoed back (GetRawText would throw): the request goes unanswered by id.
    private static string? RawId(JsonElement message) =>
        message.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String
        && System.Text.Unicode.Utf8.IsValid(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(id))
            ? id.GetRawText()
            : null;

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
        if (Malformed(message, "assistant") is { } malformed)
            return [malformed];
        if (!message.TryGetProperty("message", out var body) || !body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return [Raw(message)];
        var messageId = Str(body, "id");
        var outputs = new List<ClaudeOutput>();
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object)
            {
                outputs.Add(new InvalidOutput("malformed_message", $"An assistant message held a JSON {Describe(block.ValueKind)} where a content block belongs; it was ignored."));
                continue;
            }
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
        if (Malformed(message, "user") is { } malformed)
            return [malformed];
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

    private static IReadOnlyList<ClaudeOutput> ParseResult(JsonElement message)
    {
        long input = 0, output = 0, cacheRead = 0;
        if (message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            input = Tokens(usage, "input_tokens") + Tokens(usage, "cache_creation_input_tokens");
            output = Tokens(usage, "output_tokens");
            cacheRead = Tokens(usage, "cache_read_input_tokens");
        }
        string? model = null;
        if (message.TryGetProperty("modelUsage", out var models) && models.ValueKind == JsonValueKind.Object)
            model = models.EnumerateObject().Select(m => m.Name).FirstOrDefault();
        decimal? cost = message.TryGetProperty("total_cost_usd", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetDecimal(out var d) ? d : null;
        InvalidOutput? badCost = null;
        if (cost is < 0 or > MaxCostUsd || (cost is null && c.ValueKind == JsonValueKind.Number))
        {
            // Summed into the session's totals: one absurd report would overflow them.
            badCost = new InvalidOutput("out_of_range", $"The agent reported a cost of {c.GetRawText()} USD, outside 0..{MaxCostUsd}; it was not counted.");
            cost = null;
        }
        int? status = message.TryGetProperty("api_error_status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var code) ? code : null;
        var isError = message.TryGetProperty("is_error", out var ie) && ie.ValueKind == JsonValueKind.True;
        var result = Str(message, "result");
        if (result is null && message.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            result = string.Join("; ", errors.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
        var turn = new TurnResultOutput(Str(message, "subtype") ?? "", isError, status, result, model, input, output, cacheRead, cost, message.Clone());
        return badCost is null ? [turn] : [badCost, turn];
    }

    private static ClaudeOutput ParseControlRequest(JsonElement message)
    {
        var requestId = Str(message, "request_id") ?? "";
        if (!message.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
            return new UnsupportedRequestOutput(requestId, "(none)");
        var subtype = Str(request, "subtype") ?? "(none)";
        if (subtype != "can_use_tool")
            return new UnsupportedRequestOutput(requestId, subtype);
        var input = request.TryGetProperty("input", out var i) ? i.Clone() : EmptyObject;
        if (input.ValueKind != JsonValueKind.Object)
            return new BadRequestOutput(RawId(message), $"The agent asked to use a tool with a JSON {Describe(input.ValueKind)} as its input; Overseer refused it.");
        return new PermissionRequestOutput(requestId, Str(request, "tool_name") ?? "", input, Str(request, "tool_use_id"));
    }

    private static IReadOnlyList<ClaudeOutput> ParseRateLimit(JsonElement message)
    {
        var (resetsAt, problem) = ResetTime(message);
        var info = new RateLimitInfoOutput(resetsAt, message.Clone());
        return problem is null ? [info] : [new InvalidOutput("out_of_range", problem), info];
    }

    /// <summary>The reset time of a rate limit, from the fields the CLI has been seen to use; a time no calendar holds is a problem, not a time.</summary>
    private static (DateTimeOffset? ResetsAt, string? Problem) ResetTime(JsonElement message)
    {
        var info = message.TryGetProperty("rate_limit_info", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : message;
        foreach (var name in new[] { "resetsAt", "resets_at", "reset_at", "resetAt" })
        {
            if (!info.TryGetProperty(name, out var value))
                continue;
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (value.TryGetInt64(out var seconds) && seconds is >= 0 and <= MaxUnixMilliseconds)
                    return (seconds > 10_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(seconds) : DateTimeOffset.FromUnixTimeSeconds(seconds), null);
                return (null, $"The agent reported a rate-limit reset time of {value.GetRawText()}, which is no date; the usual back-off applies.");
            }
            if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
                return (at, null);
        }
        return (null, null);
    }

    /// <summary>9999-12-31T23:59:59.999Z, the last instant a <see cref="DateTimeOffset"/> holds.</summary>
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>An assistant or user message whose <c>message</c> is not an object.</summary>
    private static InvalidOutput? Malformed(JsonElement message, string type) =>
        message.TryGetProperty("message", out var body) && body.ValueKind != JsonValueKind.Object
            ? new InvalidOutput("malformed_message", $"The agent wrote a '{type}' message whose 'message' is a JSON {Describe(body.ValueKind)}, not an object; it was ignored.")
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Preview(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line[..Math.Min(line.Length, 200)]);

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
    private static long Num(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
            return 0;
        if (value.TryGetInt64(out var n))
            return n;
        // 1e400 is valid JSON but no double; a huge double is no long.
        return value.TryGetDouble(out var d) && double.IsFinite(d) ? (long)Math.Clamp(Math.Round(d), long.MinValue, long.MaxValue) : 0;
    }

    /// <summary>A token count, kept within 0..<see cref="MaxTokens"/> so totals cannot overflow.</summary>
    private static long Tokens(JsonElement element, string name) => Math.Clamp(Num(element, name), 0, MaxTokens);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
}
