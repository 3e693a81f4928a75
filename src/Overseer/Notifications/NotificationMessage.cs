namespace Overseer.Notifications;

/// <summary>
/// One message to one channel: a single item, or every item of a session that came in during
/// the batch window. <paramref name="DeliveryKey"/> is the same on every attempt, so a receiver
/// can drop a repeat (the idempotency key).
/// </summary>
public sealed record NotificationMessage(string DeliveryKey, string UserName, string Title, IReadOnlyList<NotificationItem> Items, DateTimeOffset CreatedAt)
{
    public string Text => string.Join("\n\n", Items.Select(i => i.Title + "\n" + i.Body));

    /// <summary>ntfy's 1 (min) to 5 (urgent): approvals are urgent, failures high.</summary>
    public int Priority => Items.Max(i => i.Kind switch
    {
        Storage.Notifications.NotificationKinds.Approval => i.Tier == "RED" ? 5 : 4,
        Storage.Notifications.NotificationKinds.SessionFailed or Storage.Notifications.NotificationKinds.Alert => 4,
        Storage.Notifications.NotificationKinds.SessionCompleted => 2,
        _ => 3,
    });
}

/// <param name="Url">The item's page in the dashboard.</param>
public sealed record NotificationItem(string Kind, string ItemId, string? SessionId, string? ProjectId, string Title, string Body, string? Tier, string Url, IReadOnlyList<NotificationAction> Actions);

/// <param name="Action">approve | deny | answer.</param>
/// <param name="Url">The signed, single-use action link: POST it to act at once, open it for a page.</param>
/// <param name="OneTap">True when a POST to <paramref name="Url"/> decides at once; false when the page must be opened (a RED approval's phrase).</param>
/// <param name="Callback">Short data a chat button carries back (Telegram callback_data, at most 64 bytes).</param>
public sealed record NotificationAction(string Action, string Label, string Url, bool OneTap, string Callback);
