using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>The mock on its own, over plain HTTP: the wire shapes the CLI relies on.</summary>
public sealed class MockAnthropicServerTests
{
    private static readonly JsonArray Tools = [new JsonObject { ["name"] = "Bash", ["input_schema"] = new JsonObject { ["type"] = "object" } }];

    [Fact]
    public async Task PostMessages_Streaming_SendsEventsInApiOrderWithSplitDeltas()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        api.Enqueue(MockReply.TextThenToolUse("Let me look.", "Bash", new { command = "ls -la", description = "list" }, id: "toolu_x"));
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages?beta=true", Body(stream: true));
        var text = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = ParseSse(text);
        events.Select(e => e.Name).Distinct().ShouldBe(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
        events.ShouldAllBe(e => e.Data["type"].Str() == e.Name);
        var deltas = events.Where(e => e.Name == "content_block_delta").ToList();
        deltas.Count(d => (int)d.Data["index"]! == 0).ShouldBeGreaterThan(1);
        string.Concat(deltas.Where(d => (int)d.Data["index"]! == 0).Select(d => d.Data["delta"]!["text"].Str())).ShouldBe("Let me look.");
        var json = string.Concat(deltas.Where(d => (int)d.Data["index"]! == 1).Select(d => d.Data["delta"]!["partial_json"].Str()));
        JsonNode.Parse(json)!["command"].Str().ShouldBe("ls -la");
        events.Single(e => e.Name == "content_block_start" && (int)e.Data["index"]! == 1).Data["content_block"]!["id"].Str().ShouldBe("toolu_x");
        var start = events[0].Data["message"]!;
        start["model"].Str().ShouldBe("claude-test");
        ((int)start["usage"]!["input_tokens"]!).ShouldBeGreaterThan(0);
        var delta = events.Single(e => e.Name == "message_delta").Data;
        delta["delta"]!["stop_reason"].Str().ShouldBe("tool_use");
        ((int)delta["usage"]!["output_tokens"]!).ShouldBeGreaterThan(1);
        api.Requests.ShouldHaveSingleItem().Query.ShouldBe("?beta=true");
    }

    [Fact]
    public async Task PostMessages_NotStreaming_ReturnsWholeMessage()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        api.Enqueue(MockReply.Text("Plain."));
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages", Body(stream: false));
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        message["type"].Str().ShouldBe("message");
        message["content"]![0]!["text"].Str().ShouldBe("Plain.");
        message["stop_reason"].Str().ShouldBe("end_turn");
        api.PendingReplies.ShouldBe(0);
    }

    [Fact]
    public async Task PostMessages_WithoutTools_AnsweredAsSideCallWithoutConsumingQueue()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        api.Enqueue(MockReply.Text("For the conversation."));
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        var body = new JsonObject { ["model"] = "claude-test", ["max_tokens"] = 64, ["tools"] = new JsonArray(), ["messages"] = new JsonArray() };
        using var response = await http.PostAsync("/v1/messages?beta=true", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        message["content"]![0]!["text"].Str().ShouldBe(MockAnthropicServer.SideReplyText);
        api.PendingReplies.ShouldBe(1);
        api.Requests.ShouldHaveSingleItem().Kind.ShouldBe(MockRequestKind.Side);
        api.ConversationRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task PostMessages_ErrorReply_ReturnsStatusErrorBodyAndRetryAfter()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        api.Enqueue(MockReply.Error(429, "rate_limit_error", "Slow down", TimeSpan.FromSeconds(2)));
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages", Body(stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.GetValues("retry-after").ShouldBe(["2"]);
        error["type"].Str().ShouldBe("error");
        error["error"]!["type"].Str().ShouldBe("rate_limit_error");
        error["error"]!["message"].Str().ShouldBe("Slow down");
    }

    [Fact]
    public async Task PostMessages_EmptyQueue_AnswersDefaultText()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages", Body(stream: false));

        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["content"]![0]!["text"].Str().ShouldBe(MockReply.DefaultText);
    }

    [Fact]
    public async Task CountTokens_Post_ReturnsInputTokens()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.PostAsync("/v1/messages/count_tokens?beta=true", Body(stream: false));

        ((int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input_tokens"]!).ShouldBeGreaterThan(0);
        api.Requests.ShouldHaveSingleItem().Kind.ShouldBe(MockRequestKind.CountTokens);
    }

    [Fact]
    public async Task Head_Root_Answers200()
    {
        await using var api = await MockAnthropicServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Requests.ShouldHaveSingleItem().Kind.ShouldBe(MockRequestKind.Other);
    }

    private static StringContent Body(bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = "claude-test",
            ["max_tokens"] = 1024,
            ["stream"] = stream,
            ["system"] = "You are a test.",
            ["tools"] = Tools.DeepClone(),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
        };
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    private static List<(string Name, JsonNode Data)> ParseSse(string text) =>
        [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(chunk => chunk.Split('\n'))
            .Select(lines => (
                Name: lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..],
                Data: JsonNode.Parse(lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])!))];
}
