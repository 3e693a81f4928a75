using System.Text.Json;
using System.Text.Json.Nodes;

namespace Overseer.TestKit.Anthropic;

/// <summary>
/// What <see cref="MockAnthropicServer"/> answers to one main-conversation request: an assistant
/// message (text and/or tool_use blocks) or an HTTP error, optionally slowed down.
/// </summary>
public sealed record MockReply
{
    private MockReply(IReadOnlyList<MockContentBlock> blocks, MockError? failure)
    {
        Blocks = blocks;
        Failure = failure;
    }

    /// <summary>The text the recordings' stand-in answered with; also served when the queue is empty.</summary>
    public const string DefaultText = "Done. Mock reply.";

    public IReadOnlyList<MockContentBlock> Blocks { get; }

    /// <summary>Set for an HTTP error reply; <see cref="Blocks"/> is empty then.</summary>
    public MockError? Failure { get; }

    /// <summary>Wait before the response starts (status line and headers).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Wait between two server-sent events of a streamed reply.</summary>
    public TimeSpan EventDelay { get; init; }

    /// <summary>
    /// <c>tool_use</c> when the message ends in a tool call (the CLI then runs it), else <c>end_turn</c>;
    /// or what <see cref="WithStopReason"/> set (e.g. <c>max_tokens</c>).
    /// </summary>
    public string StopReason => _stopReason ?? (Blocks.Count > 0 && Blocks[^1] is MockToolUseBlock ? "tool_use" : "end_turn");

    private string? _stopReason;

    /// <summary>
    /// Set for a reply that streams its first <see cref="FailAfterBlocks"/> blocks and then an SSE
    /// <c>error</c> event (an overload in the middle of an answer) instead of the message's end.
    /// </summary>
    public MockError? StreamFailure { get; init; }

    public int FailAfterBlocks { get; init; }

    /// <summary>Serves <paramref name="reason"/> as the stop reason (<c>max_tokens</c> for an answer cut off at the output limit).</summary>
    public MockReply WithStopReason(string reason) => this with { _stopReason = reason };

    /// <summary>Streams the first <paramref name="blocks"/> blocks, then an SSE <c>error</c> event of <paramref name="type"/>.</summary>
    public MockReply ThenStreamError(int blocks, string type, string message) =>
        this with { StreamFailure = new MockError(200, type, message, null), FailAfterBlocks = blocks };

    /// <summary>Any blocks in one message, e.g. thinking, then text, then a tool call.</summary>
    public static MockReply Of(params MockContentBlock[] blocks) => new([.. blocks], null);

    /// <summary>Extended thinking (with its signature), then text.</summary>
    public static MockReply ThinkThenText(string thinking, string text, string signature = "sig-mock") =>
        new([new MockThinkingBlock(thinking, signature), new MockTextBlock(text)], null);

    public static MockReply Text(string text) => new([new MockTextBlock(text)], null);

    /// <param name="input">Serialized with System.Text.Json (an anonymous object, a dictionary or a <see cref="JsonObject"/>).</param>
    public static MockReply ToolUse(string name, object input, string? id = null) =>
        new([new MockToolUseBlock(name, ToJsonObject(input), id)], null);

    /// <summary>A sentence, then a tool call, in one assistant message (the CLI reports them as two assistant lines).</summary>
    public static MockReply TextThenToolUse(string text, string name, object input, string? id = null) =>
        new([new MockTextBlock(text), new MockToolUseBlock(name, ToJsonObject(input), id)], null);

    /// <summary>A Bash tool call; the CLI asks the host before running anything it does not deem read-only.</summary>
    public static MockReply Bash(string command, string description = "run it", string? id = null) =>
        ToolUse("Bash", new { command, description }, id);

    /// <summary>The built-in AskUserQuestion tool with one question; each option's description repeats its label.</summary>
    public static MockReply AskUserQuestion(string question, IReadOnlyList<string> options, string? header = null, bool multiSelect = false, string? id = null)
    {
        var optionArray = new JsonArray();
        foreach (var label in options)
            optionArray.Add(new JsonObject { ["label"] = label, ["description"] = label });
        var input = new JsonObject
        {
            ["questions"] = new JsonArray(new JsonObject
            {
                ["question"] = question,
                ["header"] = header ?? "Question",
                ["multiSelect"] = multiSelect,
                ["options"] = optionArray,
            }),
        };
        return new([new MockToolUseBlock("AskUserQuestion", input, id)], null);
    }

    /// <summary>The built-in ExitPlanMode tool (meaningful with <c>--permission-mode plan</c>).</summary>
    public static MockReply ExitPlanMode(string plan, string? id = null) =>
        new([new MockToolUseBlock("ExitPlanMode", new JsonObject { ["plan"] = plan }, id)], null);

    /// <summary>
    /// An HTTP error with the API's error body, e.g. (500, "api_error", ...) or (429, "rate_limit_error", ...).
    /// The CLI retries 429 and 5xx up to CLAUDE_CODE_MAX_RETRIES times (each retry is another
    /// conversation request, so enqueue one error per attempt), waiting at least retry-after.
    /// </summary>
    public static MockReply Error(int status, string type, string message, TimeSpan? retryAfter = null) =>
        new([], new MockError(status, type, message, retryAfter));

    /// <param name="beforeResponse">Wait before the response starts.</param>
    /// <param name="betweenEvents">Wait between stream events, so a long answer streams slowly.</param>
    public MockReply WithDelay(TimeSpan beforeResponse, TimeSpan? betweenEvents = null) =>
        this with { Delay = beforeResponse, EventDelay = betweenEvents ?? EventDelay };

    private static JsonObject ToJsonObject(object input) =>
        input switch
        {
            JsonObject json => (JsonObject)json.DeepClone(),
            _ => JsonSerializer.SerializeToNode(input) as JsonObject
                ?? throw new ArgumentException("A tool input must serialize to a JSON object.", nameof(input)),
        };
}
