using System.Text.Json;
using System.Text.Json.Nodes;

namespace Overseer.TestKit.OpenAI;

/// <summary>
/// What <see cref="MockOpenAIServer"/> answers to one chat-completions request: an assistant message
/// (text and/or tool calls), streamed in pieces, or an HTTP error; optionally slowed down.
/// </summary>
public sealed record MockChatReply
{
    public const string DefaultText = "Done. Mock OpenAI reply.";

    public string Text { get; init; } = "";

    public IReadOnlyList<MockToolCall> ToolCalls { get; init; } = [];

    /// <summary>Set for an HTTP error reply.</summary>
    public int? ErrorStatus { get; init; }

    public string ErrorMessage { get; init; } = "";

    public TimeSpan? RetryAfter { get; init; }

    /// <summary><c>stop</c>, <c>tool_calls</c> (when there are calls) or what <see cref="WithFinishReason"/> set.</summary>
    public string FinishReason => _finish ?? (ToolCalls.Count > 0 ? "tool_calls" : "stop");

    private string? _finish;

    /// <summary>Prompt tokens the mock reports as cached (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public int CachedTokens { get; init; }

    /// <summary>Wait before the response starts.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Wait between two chunks, so an answer streams slowly.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>How many pieces text and arguments are split into.</summary>
    public int Pieces { get; init; } = 3;

    public static MockChatReply Say(string text) => new() { Text = text };

    /// <param name="input">Serialized with System.Text.Json (an anonymous object or a <see cref="JsonObject"/>).</param>
    public static MockChatReply Call(string name, object input, string? id = null) =>
        new() { ToolCalls = [new MockToolCall(name, ToJson(input), id)] };

    public static MockChatReply SayThenCall(string text, string name, object input, string? id = null) =>
        new() { Text = text, ToolCalls = [new MockToolCall(name, ToJson(input), id)] };

    /// <summary>An HTTP error with an OpenAI-shaped body <c>{"error":{"message":…}}</c>.</summary>
    public static MockChatReply Error(int status, string message, TimeSpan? retryAfter = null) =>
        new() { ErrorStatus = status, ErrorMessage = message, RetryAfter = retryAfter };

    public MockChatReply WithFinishReason(string reason) => this with { _finish = reason };

    public MockChatReply WithDelay(TimeSpan beforeResponse, TimeSpan? betweenChunks = null) =>
        this with { Delay = beforeResponse, ChunkDelay = betweenChunks ?? ChunkDelay };

    private static JsonObject ToJson(object input) => input switch
    {
        JsonObject json => (JsonObject)json.DeepClone(),
        _ => JsonSerializer.SerializeToNode(input) as JsonObject ?? throw new ArgumentException("A tool input must serialize to a JSON object.", nameof(input)),
    };
}

/// <summary>One tool call of a reply; <paramref name="Id"/> null gets <c>call_mock_N</c>.</summary>
public sealed record MockToolCall(string Name, JsonObject Arguments, string? Id);
