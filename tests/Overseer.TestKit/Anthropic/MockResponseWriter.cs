using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.Anthropic;

/// <summary>Renders a <see cref="MockReply"/> the way the Messages API answers: an SSE stream, a JSON message or an error.</summary>
internal static class MockResponseWriter
{
    /// <summary>How many <c>content_block_delta</c> events a block's text or JSON is split into, so clients must reassemble.</summary>
    private const int Pieces = 3;

    /// <summary>The message as a non-streaming request gets it.</summary>
    public static JsonObject Message(string id, string model, IReadOnlyList<ServedBlock> blocks, string stopReason, MockUsage usage) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray([.. blocks.Select(b => (JsonNode)b.Complete())]),
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = usage.ToJson(final: true),
    };

    public static async Task WriteJsonAsync(HttpResponse response, int status, JsonNode body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers["request-id"] = "req_mock_" + Guid.NewGuid().ToString("N")[..16];
        await response.WriteAsync(body.ToJsonString(), cancellationToken);
    }

    public static Task WriteErrorAsync(HttpResponse response, MockError error, CancellationToken cancellationToken)
    {
        if (error.RetryAfter is { } after)
        {
            // Claude Code 2.1.197 waits max(retry-after in whole seconds, its own backoff of about
            // 0.5 s × 2^(attempt-1) plus jitter); retry-after-ms is there for other clients.
            response.Headers["retry-after-ms"] = ((long)after.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["retry-after"] = ((long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = error.Type, ["message"] = error.Message },
        };
        return WriteJsonAsync(response, error.Status, body, cancellationToken);
    }

    /// <summary>
    /// message_start, ping, then per block content_block_start / content_block_delta × n /
    /// content_block_stop, then message_delta (stop reason, final usage) and message_stop.
    /// </summary>
    public static async Task WriteStreamAsync(
        HttpResponse response, string id, string model, IReadOnlyList<ServedBlock> blocks, string stopReason,
        MockUsage usage, TimeSpan eventDelay, CancellationToken cancellationToken, MockError? failure = null, int failAfterBlocks = 0, Action? sent = null)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["request-id"] = "req_mock_" + Guid.NewGuid().ToString("N")[..16];
        await response.StartAsync(cancellationToken);

        async Task Send(string name, JsonObject data)
        {
            await response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", Encoding.UTF8, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            sent?.Invoke();
            if (eventDelay > TimeSpan.Zero)
                await Task.Delay(eventDelay, cancellationToken);
        }

        await Send("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = usage.ToJson(final: false),
            },
        });
        await Send("ping", new JsonObject { ["type"] = "ping" });
        for (var index = 0; index < blocks.Count; index++)
        {
            if (failure is not null && index == failAfterBlocks)
                break;
            var block = blocks[index];
            await Send("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = block.Start(),
            });
            foreach (var piece in Split(block.DeltaText, Pieces))
            {
                await Send("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = block.Delta(piece),
                });
            }
            if (block.FinalDelta() is { } final)
                await Send("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = final });
            await Send("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }
        if (failure is not null)
        {
            // What the API sends when it fails an answer it has started: an error event, and no message_stop.
            await Send("error", new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = failure.Type, ["message"] = failure.Message },
            });
            return;
        }
        await Send("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = usage.ToJson(final: true),
        });
        await Send("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    /// <summary>Splits into at most <paramref name="count"/> non-empty pieces without breaking a surrogate pair.</summary>
    internal static IEnumerable<string> Split(string text, int count)
    {
        if (text.Length == 0)
            yield break;
        var size = Math.Max(1, (text.Length + count - 1) / count);
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
                end++;
            yield return text[start..end];
            start = end;
        }
    }
}
