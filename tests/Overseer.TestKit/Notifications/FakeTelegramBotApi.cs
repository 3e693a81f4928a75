using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.Notifications;

/// <summary>
/// The Telegram Bot API methods a notifier uses, at <c>/bot{token}/{method}</c>: sendMessage
/// (kept, with its inline keyboard), getUpdates (long poll answered with the button presses
/// tests make with <see cref="Press"/>), answerCallbackQuery (kept). Anything else is 404.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    public const string Token = "123456:TEST-bot-token";

    private readonly Lock _gate = new();
    private readonly List<JsonObject> _sent = [];
    private readonly List<JsonObject> _answers = [];
    private readonly Channel<JsonObject> _updates = Channel.CreateUnbounded<JsonObject>();
    private LocalHttpServer _server = null!;
    private int _nextUpdate = 1;
    private int _nextMessage = 100;

    public Uri BaseUrl => _server.BaseUrl;

    public IReadOnlyList<JsonObject> Sent { get { lock (_gate) return [.. _sent]; } }

    /// <summary>The webhook the bot set (URL and secret token), or null while it long-polls.</summary>
    public (string Url, string? SecretToken)? Webhook { get; private set; }

    /// <summary>The update a press makes, as Telegram would POST it to a webhook.</summary>
    public static JsonObject PressUpdate(int updateId, long fromId, string data) => new()
    {
        ["update_id"] = updateId,
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"cb{updateId}",
            ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = "Tester" },
            ["chat_instance"] = "ci1",
            ["data"] = data,
            ["message"] = Message(fromId, 100, "notification"),
        },
    };

    public IReadOnlyList<JsonObject> CallbackAnswers { get { lock (_gate) return [.. _answers]; } }

    public static async Task<FakeTelegramBotApi> StartAsync()
    {
        var api = new FakeTelegramBotApi();
        api._server = await LocalHttpServer.StartAsync(api.HandleAsync);
        return api;
    }

    public Task<IReadOnlyList<JsonObject>> WaitForSentAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Sent), s => s.Count >= count, TimeSpan.FromSeconds(20), $"{count} Telegram messages");

    public Task<IReadOnlyList<JsonObject>> WaitForAnswersAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(CallbackAnswers), s => s.Count >= count, TimeSpan.FromSeconds(20), $"{count} callback answers");

    /// <summary>A person (<paramref name="fromId"/>) presses a button carrying <paramref name="data"/> under a sent message.</summary>
    public void Press(long fromId, string data, long? chatId = null)
    {
        var update = PressUpdate(Interlocked.Increment(ref _nextUpdate), fromId, data);
        if (chatId is { } chat)
            update["callback_query"]!["message"] = Message(chat, 100, "notification");
        _updates.Writer.TryWrite(update);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var prefix = $"/bot{Token}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await Reply(context, 401, null, "Unauthorized");
            return;
        }
        var body = await LocalHttpServer.ReadBodyAsync(context.Request);
        var request = body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : [];
        switch (path[prefix.Length..])
        {
            case "sendMessage":
            {
                var id = Interlocked.Increment(ref _nextMessage);
                lock (_gate)
                    _sent.Add(request);
                await Reply(context, 200, Message(request["chat_id"]!.GetValue<long>(), id, request["text"]!.GetValue<string>()));
                break;
            }
            case "getUpdates":
            {
                var timeout = request["timeout"]?.GetValue<int>() ?? 0;
                var updates = new JsonArray();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                wait.CancelAfter(TimeSpan.FromSeconds(Math.Max(timeout, 0)));
                try
                {
                    if (_updates.Reader.TryRead(out var ready) || (await _updates.Reader.WaitToReadAsync(wait.Token) && _updates.Reader.TryRead(out ready)))
                        updates.Add(ready);
                }
                catch (OperationCanceledException)
                {
                }
                await Reply(context, 200, updates);
                break;
            }
            case "setWebhook":
                lock (_gate)
                    Webhook = (request["url"]!.GetValue<string>(), request["secret_token"]?.GetValue<string>());
                await Reply(context, 200, JsonValue.Create(true));
                break;
            case "deleteWebhook":
                lock (_gate)
                    Webhook = null;
                await Reply(context, 200, JsonValue.Create(true));
                break;
            case "answerCallbackQuery":
                lock (_gate)
                    _answers.Add(request);
                await Reply(context, 200, JsonValue.Create(true));
                break;
            default:
                await Reply(context, 404, null, "Not Found: method not found");
                break;
        }
    }

    private static JsonObject Message(long chatId, long messageId, string text) => new()
    {
        ["message_id"] = messageId,
        ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
        ["text"] = text,
    };

    private static Task Reply(HttpContext context, int status, JsonNode? result, string? description = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var reply = status == 200
            ? new JsonObject { ["ok"] = true, ["result"] = result }
            : new JsonObject { ["ok"] = false, ["error_code"] = status, ["description"] = description };
        return context.Response.WriteAsync(reply.ToJsonString());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
