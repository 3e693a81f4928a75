namespace Overseer.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Made {Path} private: mode {Was} is now {Now} (it was open to group or others)")]
    public static partial void MadePrivate(ILogger logger, string path, string was, string now);
}
