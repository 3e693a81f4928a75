namespace Overseer.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Made {Path} private: mode {Was} is now {Now} (it was open to group or others)")]
    public static partial void MadePrivate(ILogger logger, string path, string was, string now);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Dashboard sign-in keys go to {Directory}, readable only by this user (0700, files 0600); this platform has no key store to encrypt them with")]
    public static partial void KeyRingPrivate(ILogger logger, string directory);
}
