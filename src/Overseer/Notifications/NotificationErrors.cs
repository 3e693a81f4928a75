namespace Overseer.Notifications;

/// <summary>Problem codes of the notification routes.</summary>
public static class NotificationErrors
{
    public const string Forbidden = "FORBIDDEN";
    public const string ChannelNotFound = "CHANNEL_NOT_FOUND";
    public const string NotificationNotFound = "NOTIFICATION_NOT_FOUND";
    public const string NotDead = "NOTIFICATION_NOT_DEAD";
}
