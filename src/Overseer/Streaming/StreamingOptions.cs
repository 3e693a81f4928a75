namespace Overseer.Streaming;

public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>Events buffered per subscriber before it is marked behind and re-reads from the store.</summary>
    public int SubscriberBuffer { get; set; } = 4096;

    /// <summary>Events read from the store per page while catching up.</summary>
    public int CatchUpPageSize { get; set; } = 1000;

    /// <summary>A comment line is sent when a stream has been quiet this long, so proxies keep it open.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
