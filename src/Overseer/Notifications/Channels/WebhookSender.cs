using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications.Channels;

/// <summary>
/// POSTs the message as JSON. <c>X-Overseer-Signature: sha256=HEX</c> is HMAC-SHA256 under the
/// channel's secret over <c>{X-Overseer-Timestamp}.{body}</c>: the receiver recomputes it and
/// refuses a timestamp older than a few minutes, so a captured request cannot be replayed later.
/// </summary>
internal sealed class WebhookSender(NotificationHttp http, TimeProvider time) : IChannelSender
{
    public const string SignatureHeader = "X-Overseer-Signature";
    public const string TimestampHeader = "X-Overseer-Timestamp";

    public string Type => ChannelTypes.Webhook;

    public async Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(message.DeliveryKey, timestamp, message.UserName, message.Title, message.Items), NotificationJson.Default.WebhookPayload);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("Idempotency-Key", message.DeliveryKey);
        request.Headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(channel.Secret ?? "", timestamp, body));
        using var response = await http.Client.SendAsync(request, cancellationToken);
        await NotificationHttp.EnsureSuccessAsync(response, cancellationToken);
    }

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
