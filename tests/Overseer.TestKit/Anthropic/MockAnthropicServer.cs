using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Overseer.TestKit.Anthropic;

/// <summary>
/// A stand-in for the Anthropic Messages API on http://127.0.0.1:&lt;free port&gt;, for driving the
/// real Claude Code CLI offline (point ANTHROPIC_BASE_URL at <see cref="BaseUrl"/>; see
/// <see cref="ClaudeCli.Environment"/>). Replies are scripted with <see cref="Enqueue"/>; every
/// request is recorded in <see cref="Requests"/>.
/// </summary>
/// <remarks>
/// What Claude Code 2.1.197 sends, observed against this mock (and strace: no other host is
/// contacted with the environment of <see cref="ClaudeCli.Environment"/>):
/// <list type="bullet">
/// <item><c>HEAD /</c> once at start-up, a connection warm-up; any answer will do (we send 200).</item>
/// <item><c>POST /v1/messages?beta=true</c>, always <c>"stream": true</c>, one per model call of the
///   conversation. Its <c>tools</c> array is never empty (27 built-in tools), <c>messages</c> may
///   contain <c>{"role":"system"}</c> entries besides user/assistant ones (beta
///   mid-conversation-system), and <c>thinking</c> is <c>{"type":"adaptive"}</c>.</item>
/// <item>Side calls, only when CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is unset: a session-title
///   request after each user message, sent alongside the turn's first call, on the same model, with
///   <c>"tools": []</c>, thinking disabled, a system prompt starting "Generate a concise,
///   sentence-case title" and <c>output_config.format</c> = a JSON schema <c>{title: string}</c>. The
///   binary also holds a "quota" probe (<c>max_tokens: 1</c>, no tools) for claude.ai subscribers,
///   never sent with an API key. We classify any <c>/v1/messages</c> call without tools or with a
///   structured-output format as <see cref="MockRequestKind.Side"/> and answer
///   <c>{"title":"Mock session"}</c> without consuming a queued reply.</item>
/// <item>Never observed but answered anyway: <c>/v1/messages/count_tokens</c> and non-streaming calls.</item>
/// </list>
/// </remarks>
public sealed class MockAnthropicServer : IAsyncDisposable
{
    /// <summary>What side calls get: valid for the title call's JSON schema, harmless elsewhere.</summary>
    public const string SideReplyText = "{\"title\":\"Mock session\"}";

    private readonly Lock _gate = new();
    private readonly Queue<MockReply> _replies = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication _app = null!;
    private int _messageCount;
    private int _toolUseCount;
    private int _streamedEvents;

    /// <summary>Server-sent events written so far, all streams together: a test acts once an answer is part-way out.</summary>
    public int StreamedEvents => Volatile.Read(ref _streamedEvents);

    private MockAnthropicServer()
    {
    }

    /// <summary>Where the mock listens, e.g. <c>http://127.0.0.1:39123/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>The main-conversation requests only (those served from the queue).</summary>
    public IReadOnlyList<RecordedRequest> ConversationRequests =>
        [.. Requests.Where(r => r.Kind == MockRequestKind.Conversation)];

    /// <summary>
    /// Serve queued replies to every <c>/v1/messages</c> call, tools or not: for clients that are
    /// not Claude Code (a single-shot call such as the prompt optimiser's has no tools and would
    /// otherwise count as a side call).
    /// </summary>
    public bool EveryMessageIsConversation { get; set; }

    /// <summary>Replies enqueued but not served yet.</summary>
    public int PendingReplies
    {
        get
        {
            lock (_gate)
                return _replies.Count;
        }
    }

    public static async Task<MockAnthropicServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new MockAnthropicServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(MockAnthropicServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues a reply for the next main-conversation request; <paramref name="times"/> copies (e.g. for each retry of an error).</summary>
    public void Enqueue(MockReply reply, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
                _replies.Enqueue(reply);
        }
    }

    /// <summary>Waits until a request matching <paramref name="predicate"/> has arrived (e.g. to act while a slow reply is pending).</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            var found = Requests.FirstOrDefault(predicate);
            if (found is not null)
                return found;
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching request within {timeout}; received: {string.Join(", ", Requests.Select(r => $"{r.Method} {r.Path} ({r.Kind})"))}.");
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = cts.Token;
        try
        {
            var request = context.Request;
            var body = await ReadJsonAsync(request, cancellationToken);
            var kind = Classify(request.Method, request.Path.Value ?? "/", body, EveryMessageIsConversation);
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            MockReply? reply = null;
            lock (_gate)
            {
                _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", body, headers, kind));
                if (kind == MockRequestKind.Conversation && _replies.Count > 0)
                    reply = _replies.Dequeue();
            }
            switch (kind)
            {
                case MockRequestKind.Conversation:
                    await ServeAsync(context.Response, body, reply ?? MockReply.Text(MockReply.DefaultText), cancellationToken);
                    break;
                case MockRequestKind.Side:
                    await ServeAsync(context.Response, body, MockReply.Text(SideReplyText), cancellationToken);
                    break;
                case MockRequestKind.CountTokens:
                    var tokens = MockUsage.Estimate(body, []);
                    await MockResponseWriter.WriteJsonAsync(context.Response, 200, new JsonObject { ["input_tokens"] = tokens.InputTokens + tokens.CacheReadInputTokens }, cancellationToken);
                    break;
                case MockRequestKind.Models:
                    await MockResponseWriter.WriteJsonAsync(context.Response, 200, ModelList(), cancellationToken);
                    break;
                default:
                    if (request.Path == "/")
                        context.Response.StatusCode = 200;
                    else
                        await MockResponseWriter.WriteErrorAsync(context.Response, new MockError(404, "not_found_error", $"No mock for {request.Method} {request.Path}.", null), cancellationToken);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The CLI hung up (an interrupt aborts the HTTP call) or the mock is stopping.
        }
    }

    private async Task ServeAsync(HttpResponse response, JsonNode? body, MockReply reply, CancellationToken cancellationToken)
    {
        if (reply.Delay > TimeSpan.Zero)
            await Task.Delay(reply.Delay, cancellationToken);
        if (reply.Failure is { } error)
        {
            await MockResponseWriter.WriteErrorAsync(response, error, cancellationToken);
            return;
        }
        var blocks = reply.Blocks
            .Select(b => new ServedBlock(b, b is MockToolUseBlock tool ? tool.Id ?? $"toolu_mock_{Interlocked.Increment(ref _toolUseCount)}" : null))
            .ToList();
        var id = $"msg_mock_{Interlocked.Increment(ref _messageCount)}";
        var model = body?["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : "claude-sonnet-4-5";
        var usage = MockUsage.Estimate(body, reply.Blocks);
        var stream = body?["stream"] is JsonValue s && s.TryGetValue<bool>(out var streaming) && streaming;
        if (stream)
            await MockResponseWriter.WriteStreamAsync(response, id, model, blocks, reply.StopReason, usage, reply.EventDelay, cancellationToken, reply.StreamFailure, reply.FailAfterBlocks,
                () => Interlocked.Increment(ref _streamedEvents));
        else
            await MockResponseWriter.WriteJsonAsync(response, 200, MockResponseWriter.Message(id, model, blocks, reply.StopReason, usage), cancellationToken);
    }

    /// <summary>What <c>GET /v1/models</c> lists (a readiness check looks for its model there).</summary>
    public IReadOnlyList<string> Models { get; set; } = ["claude-sonnet-4-5", "claude-opus-4-5", "claude-haiku-4-5"];

    /// <summary>Forgets every queued reply and recorded request: a fixture shared by several tests starts each one clean.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _replies.Clear();
            _requests.Clear();
        }
    }

    private JsonObject ModelList()
    {
        var data = new JsonArray();
        foreach (var model in Models)
            data.Add(new JsonObject { ["type"] = "model", ["id"] = model, ["display_name"] = model, ["created_at"] = "2026-01-01T00:00:00Z" });
        return new JsonObject { ["data"] = data, ["has_more"] = false, ["first_id"] = Models.FirstOrDefault(), ["last_id"] = Models.LastOrDefault() };
    }

    private static MockRequestKind Classify(string method, string path, JsonNode? body, bool everyMessage)
    {
        if (HttpMethods.IsGet(method) && path == "/v1/models")
            return MockRequestKind.Models;
        if (!HttpMethods.IsPost(method))
            return MockRequestKind.Other;
        if (path == "/v1/messages/count_tokens")
            return MockRequestKind.CountTokens;
        if (path != "/v1/messages")
            return MockRequestKind.Other;
        if (everyMessage)
            return MockRequestKind.Conversation;
        var hasTools = body?["tools"] is JsonArray { Count: > 0 };
        var structuredOutput = body?["output_config"]?["format"] is not null;
        return hasTools && !structuredOutput ? MockRequestKind.Conversation : MockRequestKind.Side;
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
