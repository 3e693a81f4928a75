using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications.Channels;

/// <summary>
/// Sends the message to a browser's push subscription, encrypted for it (aes128gcm) and signed
/// with the server's VAPID key. The dashboard's service worker shows it with the item's actions:
/// a one-tap action POSTs its signed link, a RED approval opens the phrase page.
/// </summary>
internal sealed class WebPushSender(NotificationHttp http, VapidKeys keys, IOptions<NotificationOptions> options) : IChannelSender
{
    public string Type => ChannelTypes.WebPush;

    public async Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var subject = options.Value.PublicUrl is { } url && url.StartsWith("https://", StringComparison.Ordinal) ? url : "mailto:overseer@localhost";
        var client = new PushServiceClient(http.Client)
        {
            DefaultAuthentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = subject },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        };
        var subscription = new PushSubscription { Endpoint = target.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, target.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, target.Auth);
        var first = message.Items[0];
        // A push payload is at most about 4 KB: the first item's actions, the text cut short.
        var payload = new WebPushPayload(message.DeliveryKey, message.Title, message.Text.Length > 1000 ? message.Text[..1000] + "…" : message.Text, first.Url,
            [.. first.Actions.Take(2).Select(a => new WebPushAction(a.Action, a.Label, a.Url, a.OneTap))]);
        var push = new PushMessage(JsonSerializer.Serialize(payload, NotificationJson.Default.WebPushPayload))
        {
            Topic = message.DeliveryKey.Length <= 32 ? message.DeliveryKey : null,
            Urgency = message.Priority >= 4 ? PushMessageUrgency.High : PushMessageUrgency.Normal,
            TimeToLive = (int)options.Value.LinkLifetime.TotalSeconds,
        };
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, push, cancellationToken);
        }
        catch (PushServiceClientException ex)
        {
            throw new DeliveryException($"The push service answered {(int)ex.StatusCode}: {ex.Message}", ex);
        }
    }
}

/// <summary>What the service worker receives; <paramref name="Tag"/> is the idempotency key (a repeat replaces, never doubles, the notification).</summary>
public sealed record WebPushPayload(string Tag, string Title, string Body, string Url, IReadOnlyList<WebPushAction> Actions);

public sealed record WebPushAction(string Action, string Title, string Url, bool OneTap);
