using System.Text.Json.Nodes;

namespace Overseer.TestKit.Anthropic;

/// <summary>
/// Token counts for one reply, estimated at about four characters a token so the CLI reports a
/// plausible, non-zero cost: the conversation counts as fresh input, the (large, stable) system
/// prompt and tool definitions as a prompt-cache hit, as they would be on the real API.
/// </summary>
internal sealed record MockUsage(int InputTokens, int CacheReadInputTokens, int OutputTokens)
{
    public static MockUsage Estimate(JsonNode? requestBody, IReadOnlyList<MockContentBlock> reply)
    {
        var messages = requestBody?["messages"]?.ToJsonString().Length ?? 0;
        var prompt = (requestBody?["system"]?.ToJsonString().Length ?? 0) + (requestBody?["tools"]?.ToJsonString().Length ?? 0);
        var output = reply.Sum(block => block switch
        {
            MockTextBlock text => text.Text.Length,
            MockToolUseBlock tool => tool.Name.Length + tool.Input.ToJsonString().Length,
            MockThinkingBlock thinking => thinking.Thinking.Length,
            _ => 0,
        });
        return new(Math.Max(1, messages / 4), prompt / 4, Math.Max(1, output / 4) + 4);
    }

    /// <summary>The usage object of <c>message_start</c> (output so far: one token) or of the final message.</summary>
    public JsonObject ToJson(bool final) => new()
    {
        ["input_tokens"] = InputTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = CacheReadInputTokens,
        ["output_tokens"] = final ? OutputTokens : 1,
    };
}
