namespace Overseer.Notifications;

public sealed record CreateChannelRequest(string? Type, string? Name, ChannelTarget? Target, ChannelPreferences? Preferences);

public sealed record UpdateChannelRequest(string? Name, ChannelTarget? Target, ChannelPreferences? Preferences, bool? Enabled);

/// <param name="Secret">A webhook's signing secret: in the answer to its creation only, never again.</param>
public sealed record ChannelDto(string Id, string UserId, string Type, string Name, ChannelTarget Target, ChannelPreferences Preferences, bool Enabled, DateTimeOffset CreatedAt, string? Secret = null);

public sealed record NotificationDto(
    string Id, string ChannelId, string UserId, string? SessionId, string? ProjectId, string Kind, string ItemId, string Status,
    int Attempts, DateTimeOffset DueAt, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? DeliveryKey, string? LastError,
    IReadOnlyList<AttemptDto>? AttemptLog = null);

public sealed record AttemptDto(int Attempt, string DeliveryKey, DateTimeOffset At, string Outcome, string? Detail, long DurationMs);

/// <summary>The server's VAPID public key: a browser's <c>applicationServerKey</c> when it subscribes.</summary>
public sealed record WebPushKeyDto(string PublicKey);
