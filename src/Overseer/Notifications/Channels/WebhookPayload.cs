namespace Overseer.Notifications.Channels;

/// <summary>The JSON body a webhook receives. <paramref name="Id"/> is the idempotency key (also the <c>Idempotency-Key</c> header).</summary>
public sealed record WebhookPayload(string Id, long Timestamp, string User, string Title, IReadOnlyList<NotificationItem> Items);
