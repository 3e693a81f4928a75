namespace Overseer.Storage.Notifications;

/// <summary>
/// The notification outbox, the channels people receive notifications on, each notification's
/// state and delivery attempts, and the action links already used.
/// </summary>
public interface INotificationStore
{
    Task AddChannelAsync(NotificationChannelRecord channel, CancellationToken cancellationToken = default);
    Task<NotificationChannelRecord?> FindChannelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>One user's channels, or every channel when <paramref name="userId"/> is null.</summary>
    Task<IReadOnlyList<NotificationChannelRecord>> ListChannelsAsync(string? userId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a channel's name, target, preferences and enabled flag; false when there is no such channel.</summary>
    Task<bool> UpdateChannelAsync(NotificationChannelRecord channel, CancellationToken cancellationToken = default);
    Task<bool> RemoveChannelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The oldest intents not yet turned into notifications.</summary>
    Task<IReadOnlyList<OutboxRecord>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the notifications an outbox row became and removes the row, in one transaction; a
    /// notification for a channel and item that already has one is not added again.
    /// </summary>
    Task FanOutAsync(long outboxSeq, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default);

    /// <summary>Pending notifications due at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<NotificationRecord>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>When the next pending notification is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>When a channel last delivered something about a session (the batch window starts there).</summary>
    Task<DateTimeOffset?> LastSentAsync(string channelId, string? sessionId, CancellationToken cancellationToken = default);

    Task DeferAsync(IReadOnlyList<string> ids, DateTimeOffset dueAt, CancellationToken cancellationToken = default);

    /// <summary>Records one attempt at delivering these notifications together and sets their new state.</summary>
    Task RecordAttemptAsync(IReadOnlyList<string> ids, DeliveryAttempt attempt, string status, DateTimeOffset? nextDue, CancellationToken cancellationToken = default);

    /// <summary>Notifications newest first; of one user when <paramref name="userId"/> is not null, in one status when <paramref name="status"/> is not null.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListAsync(string? userId, string? status, int limit, CancellationToken cancellationToken = default);
    Task<NotificationRecord?> FindAsync(string id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string notificationId, CancellationToken cancellationToken = default);

    /// <summary>Puts a dead notification back in the queue, due now; false when it is not dead.</summary>
    Task<bool> RedeliverAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Claims an action link; false when it was used before.</summary>
    Task<bool> UseLinkAsync(string nonce, string by, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<bool> LinkUsedAsync(string nonce, CancellationToken cancellationToken = default);

    /// <summary>Frees a claimed link whose action was refused for a reason the person can correct (a mistyped phrase).</summary>
    Task ReleaseLinkAsync(string nonce, CancellationToken cancellationToken = default);
}

/// <param name="Target">JSON: where the channel delivers (its shape depends on <paramref name="Type"/>).</param>
/// <param name="Preferences">JSON: which kinds, projects, minimum tier and quiet hours.</param>
public sealed record NotificationChannelRecord(string Id, string UserId, string Type, string Name, string Target, string? Secret, string Preferences, bool Enabled, DateTimeOffset CreatedAt);

public sealed record OutboxRecord(long Seq, string? SessionId, string Kind, string ItemId, DateTimeOffset CreatedAt);

/// <param name="Status">pending | sent | dead | dropped (its item was decided before it went out).</param>
public sealed record NotificationRecord(
    string Id, long OutboxSeq, string ChannelId, string UserId, string? SessionId, string? ProjectId, string Kind, string ItemId,
    string Status, int Attempts, DateTimeOffset DueAt, DateTimeOffset CreatedAt, DateTimeOffset? SentAt = null, string? DeliveryKey = null, string? LastError = null);

/// <param name="Outcome">delivered | failed | dropped.</param>
public sealed record DeliveryAttempt(string DeliveryKey, DateTimeOffset At, string Outcome, string? Detail, long DurationMs);

public sealed record AttemptRecord(string NotificationId, int Attempt, string DeliveryKey, DateTimeOffset At, string Outcome, string? Detail, long DurationMs);

public static class NotificationStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Dead = "dead";
    public const string Dropped = "dropped";
}
