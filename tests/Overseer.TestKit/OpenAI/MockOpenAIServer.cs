using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.OpenAI;

/// <summary>
/// A stand-in for an OpenAI-compatible server (Ollama, vLLM, llama.cpp's server, LM Studio) on
/// http://127.0.0.1:&lt;free port&gt;/v1: <c>POST /v1/chat/completions</c> answers the replies queued
/// with <see cref="Enqueue"/> (streamed as the API streams: role, content pieces, tool-call pieces
/// by index, the finish reason, a usage chunk when <c>stream_options.include_usage</c>, then
/// <c>[DONE]</c>), <c>GET /v1/models</c> lists <see cref="Models"/>. Every request is recorded.
/// </summary>
public sealed class MockOpenAIServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<MockChatReply> _replies = new();
    private readonly List<RecordedChatRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication _app = null!;
    private int _completions;
    private int _calls;
    private int _chunks;

    private MockOpenAIServer()
    {
    }

    /// <summary>The API's base URL, e.g. <c>http://127.0.0.1:39123/v1</c> (what <c>Runtimes:OpenAI:BaseUrl</c> takes).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What <c>GET /v1/models</c> lists.</summary>
    public IReadOnlyList<string> Models { get; set; } = ["qwen2.5-coder:7b", "llama3.2:3b"];

    /// <summary>Chunks written so far, all streams together: a test acts once an answer is part-way out.</summary>
    public int StreamedChunks => Volatile.Read(ref _chunks);

    public IReadOnlyList<RecordedChatRequest> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>The chat-completions requests only.</summary>
    public IReadOnlyList<RecordedChatRequest> ChatRequests => [.. Requests.Where(r => r.IsChat)];

    /// <summary>
    /// A base URL on which nothing listens: a local model server that is down (connections are
    /// refused at once).
    /// </summary>
    public static string ClosedPortUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    public static async Task<MockOpenAIServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new MockOpenAIServer();
        (server._app, var address) = await LoopbackApp.StartAsync(server.HandleAsync, cancellationToken);
        server.BaseUrl = address + "/v1";
        return server;
    }

    /// <summary>Queues a reply for the next chat request; <paramref name="times"/> copies.</summary>
    public void Enqueue(MockChatReply reply, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
                _replies.Enqueue(reply);
        }
    }

    /// <summary>Replies queued but not served yet.</summary>
    public int PendingReplies
    {
        get
        {
            lock (_gate)
                return _replies.Count;
        }
    }

    /// <summary>Forgets queued replies and recorded requests: each test of a shared fixture starts clean.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _replies.Clear();
            _requests.Clear();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = cts.Token;
        try
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            JsonNode? body = null;
            using (var reader = new StreamReader(request.Body))
            {
                var text = await reader.ReadToEndAsync(cancellationToken);
                try
                {
                    body = text.Length == 0 ? null : JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                }
            }
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            MockChatReply? reply = null;
            var chat = HttpMethods.IsPost(request.Method) && path == "/v1/chat/completions";
            lock (_gate)
            {
                _requests.Add(new RecordedChatRequest(request.Method, path, body, headers));
                if (chat && _replies.Count > 0)
                    reply = _replies.Dequeue();
            }
            if (chat)
                await ServeAsync(context.Response, body, reply ?? MockChatReply.Say(MockChatReply.DefaultText), cancellationToken);
            else if (HttpMethods.IsGet(request.Method) && path == "/v1/models")
                await WriteJsonAsync(context.Response, 200, ModelList(), cancellationToken);
            else
                await WriteJsonAsync(context.Response, 404, ErrorBody($"No mock for {request.Method} {path}."), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client hung up (an interrupt) or the mock is stopping.
        }
    }

    private async Task ServeAsync(HttpResponse response, JsonNode? body, MockChatReply reply, CancellationToken cancellationToken)
    {
        if (reply.Delay > TimeSpan.Zero)
            await Task.Delay(reply.Delay, cancellationToken);
        if (reply.ErrorStatus is { } status)
        {
            if (reply.RetryAfter is { } after)
                response.Headers["retry-after"] = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteJsonAsync(response, status, ErrorBody(reply.ErrorMessage), cancellationToken);
            return;
        }
        var id = $"chatcmpl-mock-{Interlocked.Increment(ref _completions)}";
        var model = body?["model"]?.GetValue<string>() ?? Models.FirstOrDefault() ?? "mock";
        var usage = body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        async Task SendAsync(JsonObject chunk)
        {
            if (reply.ChunkDelay > TimeSpan.Zero)
                await Task.Delay(reply.ChunkDelay, cancellationToken);
            chunk["id"] = id;
            chunk["object"] = "chat.completion.chunk";
            chunk["created"] = 1_790_000_000;
            chunk["model"] = model;
            await response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            Interlocked.Increment(ref _chunks);
        }
        await SendAsync(Choice(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (var piece in Split(reply.Text, reply.Pieces))
            await SendAsync(Choice(new JsonObject { ["content"] = piece }, null));
        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            var callId = call.Id ?? $"call_mock_{Interlocked.Increment(ref _calls)}";
            await SendAsync(Choice(new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = i, ["id"] = callId, ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                }),
            }, null));
            foreach (var piece in Split(call.Arguments.ToJsonString(), reply.Pieces))
            {
                await SendAsync(Choice(new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = piece } }),
                }, null));
            }
        }
        await SendAsync(Choice(new JsonObject(), reply.FinishReason));
        if (usage)
        {
            var prompt = Math.Max(1, (body?.ToJsonString().Length ?? 0) / 4);
            var completion = Math.Max(1, (reply.Text.Length + reply.ToolCalls.Sum(c => c.Arguments.ToJsonString().Length)) / 4);
            await SendAsync(new JsonObject
            {
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion,
                    ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = Math.Min(reply.CachedTokens, prompt) },
                },
            });
        }
        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
    }

    private static JsonObject Choice(JsonObject delta, string? finish) => new()
    {
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private static IEnumerable<string> Split(string text, int pieces)
    {
        if (text.Length == 0)
            yield break;
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)Math.Max(1, pieces)));
        for (var at = 0; at < text.Length; at += size)
            yield return text.Substring(at, Math.Min(size, text.Length - at));
    }

    private JsonObject ModelList() => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. Models.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model", ["created"] = 1_790_000_000, ["owned_by"] = "mock" })]),
    };

    private static JsonObject ErrorBody(string message) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = null },
    };

    private static async Task WriteJsonAsync(HttpResponse response, int status, JsonNode body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await LoopbackApp.StopAsync(_app);
        _stopping.Dispose();
    }
}
