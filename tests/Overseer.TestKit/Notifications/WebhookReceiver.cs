using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.Notifications;

/// <summary>
/// A webhook endpoint as its documentation tells receivers to build one: it recomputes
/// <c>X-Overseer-Signature</c> over <c>{timestamp}.{body}</c> with the secret, refuses a bad
/// signature or a timestamp more than five minutes away (401), and processes each
/// <c>Idempotency-Key</c> once. It can be told to fail the next requests (503) or to stall.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<WebhookDelivery> _received = [];
    private readonly List<WebhookDelivery> _processed = [];
    private LocalHttpServer _server = null!;
    private int _failNext;
    private int _arrived;

    private WebhookReceiver()
    {
    }

    public Uri Url => new(_server.BaseUrl, "hook");

    /// <summary>The channel's secret, as the server answered its creation.</summary>
    public string Secret { get; set; } = "";

    /// <summary>When set, every request waits on it before being answered (a stalled receiver).</summary>
    public TaskCompletionSource? Stall { get; set; }

    /// <summary>Every correctly signed request, repeats included.</summary>
    public IReadOnlyList<WebhookDelivery> Received { get { lock (_gate) return [.. _received]; } }

    /// <summary>Deliveries processed: one per idempotency key.</summary>
    public IReadOnlyList<WebhookDelivery> Processed { get { lock (_gate) return [.. _processed]; } }

    /// <summary>Requests refused for their signature or timestamp.</summary>
    public int Refused { get; private set; }

    /// <summary>Requests that reached the receiver, answered or not (a stalled one counts at once).</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._server = await LocalHttpServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    public Task<IReadOnlyList<WebhookDelivery>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Task.FromResult(Processed), p => p.Count >= count, timeout ?? TimeSpan.FromSeconds(20), $"{count} webhook deliveries");

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LocalHttpServer.ReadBodyAsync(context.Request);
        Interlocked.Increment(ref _arrived);
        if (Stall is { } stall)
            await stall.Task;
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var timestamp = context.Request.Headers["X-Overseer-Timestamp"].ToString();
        var signature = context.Request.Headers["X-Overseer-Signature"].ToString();
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300 || !Verify(timestamp, body, signature))
        {
            lock (_gate)
                Refused++;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var delivery = new WebhookDelivery(context.Request.Headers["Idempotency-Key"].ToString(), JsonDocument.Parse(body).RootElement.Clone(), DateTimeOffset.UtcNow);
        lock (_gate)
        {
            _received.Add(delivery);
            if (!_processed.Any(p => p.Key == delivery.Key))
                _processed.Add(delivery);
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private bool Verify(string timestamp, byte[] body, string signature)
    {
        var signed = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    public ValueTask DisposeAsync()
    {
        Stall?.TrySetResult();
        return _server.DisposeAsync();
    }
}

public sealed record WebhookDelivery(string Key, JsonElement Body, DateTimeOffset At)
{
    public JsonElement Item(int index = 0) => Body.GetProperty("items")[index];

    public int ItemCount => Body.GetProperty("items").GetArrayLength();

    /// <summary>The URL of the item's action (approve, deny, answer), at <paramref name="index"/> among those with that name.</summary>
    public string ActionUrl(string action, int item = 0, int index = 0) =>
        Item(item).GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("action").GetString() == action).ElementAt(index).GetProperty("url").GetString()!;
}
