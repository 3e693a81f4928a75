using System.Collections.Concurrent;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// What one client received: latency per event, which agent.text texts arrived per session and
/// how often, order and behind notices. Shared by the SSE and the WebSocket subscribers; written
/// only by its client's read loop (<see cref="SessionReceipts.Distinct"/> is also read by the waiting loop).
/// </summary>
public sealed class StreamTally(int eventsPerSession, bool stampedOnly)
{
    private readonly ConcurrentDictionary<string, SessionReceipts> _receipts = new(StringComparer.Ordinal);
    private readonly char[] _sessionId = new char[128];
    private long _lastSeq = long.MinValue;

    /// <summary>Time from which an event counts as live (older ones are catch-up).</summary>
    public long ConnectTicks { get; set; }

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Wall clock (µs since the epoch) the live run's sessions were created; 0 outside the live bench.</summary>
    public long RunStartMicros { get; set; }

    /// <summary>Stamped latencies by the second of the run their stamp falls in (the last bucket takes the rest):
    /// separates sessions starting together from the steady state.</summary>
    public LatencyHistogram[] BySecond { get; } = [.. Enumerable.Range(0, 8).Select(_ => new LatencyHistogram())];

    /// <summary>Events received after connecting (not counting stream.behind notices).</summary>
    public long Live { get; private set; }

    /// <summary>Events whose ts is older than this subscriber's request: catch-up, not live latency.</summary>
    public long History { get; private set; }

    public long FirstLiveSeq { get; private set; }

    public long LastSeq => _lastSeq;

    public long OutOfOrder { get; private set; }

    public long BehindNotices { get; private set; }

    public long ParseErrors { get; private set; }

    /// <summary>Events whose ts lies after the moment they were read (clock steps); recorded as 0.</summary>
    public long NegativeLatencies { get; private set; }

    public long LastReceiveTicks { get; private set; }

    public SessionReceipts? ReceiptsFor(string sessionId) => _receipts.GetValueOrDefault(sessionId);

    public void CountBehind() => BehindNotices++;

    /// <summary>One event envelope's JSON, read at <paramref name="nowTicks"/>.</summary>
    public void Record(ReadOnlySpan<byte> json, long nowTicks)
    {
        ParsedEvent e;
        try
        {
            e = EnvelopeParser.Parse(json, _sessionId);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            ParseErrors++;
            return;
        }

        if (e.Kind == EventKind.StreamBehind)
        {
            BehindNotices++;
            return;
        }

        LastReceiveTicks = nowTicks;
        if (e.HasSeq)
        {
            if (e.Seq <= _lastSeq)
                OutOfOrder++;
            else
                _lastSeq = e.Seq;
        }

        if (!e.HasTs || e.TsTicks < ConnectTicks)
        {
            History++;
        }
        else
        {
            Live++;
            if (FirstLiveSeq == 0 && e.HasSeq)
                FirstLiveSeq = e.Seq;
            // With a stamp (the live bench's stand-in agent writes its wall clock into the text),
            // the latency covers the whole path from the agent's pipe; otherwise from the append.
            if (e.StampMicros > 0 || !stampedOnly)
            {
                var from = e.StampMicros > 0 ? DateTime.UnixEpoch.Ticks + e.StampMicros * TimeSpan.TicksPerMicrosecond : e.TsTicks;
                var latencyTicks = nowTicks - from;
                if (latencyTicks < 0)
                    NegativeLatencies++;
                Latency.Record(latencyTicks / TimeSpan.TicksPerMicrosecond);
                if (e.StampMicros > 0 && RunStartMicros > 0)
                    BySecond[(int)Math.Clamp((e.StampMicros - RunStartMicros) / 1_000_000, 0, BySecond.Length - 1)].Record(latencyTicks / TimeSpan.TicksPerMicrosecond);
            }
        }

        if (e.Kind == EventKind.AgentText && e.SessionIdLength > 0)
            ReceiptsOf(_sessionId.AsSpan(0, e.SessionIdLength)).Record(e.Text);
    }

    private SessionReceipts ReceiptsOf(ReadOnlySpan<char> sessionId)
    {
        var lookup = _receipts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(sessionId, out var receipts))
            return receipts;
        receipts = new SessionReceipts(eventsPerSession); // once per session, not per event
        _receipts[sessionId.ToString()] = receipts;
        return receipts;
    }
}
