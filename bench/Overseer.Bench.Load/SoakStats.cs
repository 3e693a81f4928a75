using System.Collections.Concurrent;

namespace Overseer.Bench.Load;

/// <summary>
/// Counters the soak's campaigns share. Thread-safe: every campaign worker writes here, and the
/// report reads after they have all stopped.
/// </summary>
internal sealed class SoakStats
{
    /// <summary>Enough 5xx details to reproduce the first few; the count is kept separately.</summary>
    private const int ServerErrorsKept = 10;

    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private readonly ConcurrentDictionary<string, long> _wsCloses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private readonly ConcurrentQueue<string> _transportErrors = new();
    private long _httpRequests;
    private long _serverErrorCount;
    private long _transportErrorCount;
    private long _wsSent;
    private long _wsReceived;
    private long _wsErrorFrames;
    private long _wsConnects;
    private long _wsUnexpectedCloses;
    private long _agentRequests;

    public long HttpRequests => Interlocked.Read(ref _httpRequests);
    public long ServerErrorCount => Interlocked.Read(ref _serverErrorCount);
    public long TransportErrorCount => Interlocked.Read(ref _transportErrorCount);
    public long WsSent => Interlocked.Read(ref _wsSent);
    public long WsReceived => Interlocked.Read(ref _wsReceived);
    public long WsErrorFrames => Interlocked.Read(ref _wsErrorFrames);
    public long WsConnects => Interlocked.Read(ref _wsConnects);
    public long WsUnexpectedCloses => Interlocked.Read(ref _wsUnexpectedCloses);
    public long AgentRequests => Interlocked.Read(ref _agentRequests);

    public IReadOnlyList<string> ServerErrors => [.. _serverErrors];
    public IReadOnlyList<string> TransportErrors => [.. _transportErrors];
    public IReadOnlyList<KeyValuePair<int, long>> Statuses => [.. _statuses.OrderBy(s => s.Key)];
    public IReadOnlyList<KeyValuePair<string, long>> WsCloses => [.. _wsCloses.OrderBy(s => s.Key, StringComparer.Ordinal)];

    /// <summary>One answered HTTP request of any campaign; a 5xx keeps its method, path and body for the report.</summary>
    public void Http(int status, string method, string path, string bodyPreview, bool agentCampaign = false)
    {
        Interlocked.Increment(ref agentCampaign ? ref _agentRequests : ref _httpRequests);
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (status < 500)
            return;
        if (Interlocked.Increment(ref _serverErrorCount) <= ServerErrorsKept)
            _serverErrors.Enqueue($"{status} {method} {HttpCampaign.Shorten(path, 200)} body: {bodyPreview}");
    }

    /// <summary>A request that got no HTTP answer (reset, timeout): not a status, but worth seeing.</summary>
    public void Transport(string method, string path, string error, bool agentCampaign = false)
    {
        Interlocked.Increment(ref agentCampaign ? ref _agentRequests : ref _httpRequests);
        if (Interlocked.Increment(ref _transportErrorCount) <= ServerErrorsKept)
            _transportErrors.Enqueue($"{method} {HttpCampaign.Shorten(path, 200)}: {HttpCampaign.Shorten(error, 400)}");
    }

    public void WsSentOne() => Interlocked.Increment(ref _wsSent);

    public void WsReceivedOne(bool isError)
    {
        Interlocked.Increment(ref _wsReceived);
        if (isError)
            Interlocked.Increment(ref _wsErrorFrames);
    }

    public void WsConnected() => Interlocked.Increment(ref _wsConnects);

    public void WsClosed(string how, bool expected)
    {
        _wsCloses.AddOrUpdate(how, 1, (_, n) => n + 1);
        if (!expected)
            Interlocked.Increment(ref _wsUnexpectedCloses);
    }
}
