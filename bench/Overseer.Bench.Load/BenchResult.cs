using System.Globalization;

namespace Overseer.Bench.Load;

/// <summary>The figures of one run, summed over subscribers, and the summary printout.</summary>
public sealed record BenchResult(
    BenchOptions Options,
    long Delivered,
    double Seconds,
    long Appended,
    LatencyHistogram Latency,
    long Lost,
    long Duplicated,
    long OutOfOrder,
    long BehindNotices,
    long Unexpected,
    long ParseErrors,
    long History,
    long NegativeLatencies,
    bool Complete,
    IReadOnlyList<string> Failures,
    long RssStartKb,
    long RssPeakKb,
    long RssEndKb,
    bool HasRss)
{
    /// <summary>CPU the server used while sessions ran; null when the benchmark did not start it.</summary>
    public double? ServerCpuSeconds { get; init; }

    /// <summary>CPU this benchmark process used in the same time (it shares the cores with the server).</summary>
    public double BenchCpuSeconds { get; init; }

    public bool Passed => Lost == 0 && Duplicated == 0 && OutOfOrder == 0;

    public static BenchResult From(
        BenchOptions options,
        int eventsPerSession,
        IReadOnlyList<IStreamClient> subscribers,
        IReadOnlyList<string> sessionIds,
        long startTicks,
        bool complete,
        RssSampler? rss,
        long rssEndKb)
    {
        var latency = new LatencyHistogram();
        long delivered = 0, appended = 0, lost = 0, duplicated = 0, outOfOrder = 0, behind = 0;
        long unexpected = 0, parseErrors = 0, history = 0, negative = 0, lastReceive = startTicks;
        var failures = new List<string>();
        foreach (var client in subscribers)
        {
            var s = client.Tally;
            latency.Add(s.Latency);
            delivered += s.Live;
            if (s.FirstLiveSeq > 0)
                appended = Math.Max(appended, s.LastSeq - s.FirstLiveSeq + 1);
            outOfOrder += s.OutOfOrder;
            behind += s.BehindNotices;
            parseErrors += s.ParseErrors;
            history += s.History;
            negative += s.NegativeLatencies;
            lastReceive = Math.Max(lastReceive, s.LastReceiveTicks);
            if (client.Failure is { } failure)
                failures.Add($"subscriber {client.Index}: {failure}");
            foreach (var id in sessionIds)
            {
                var receipts = s.ReceiptsFor(id);
                lost += eventsPerSession - (receipts?.Distinct ?? 0);
                duplicated += receipts?.Duplicates ?? 0;
                unexpected += receipts?.Unexpected ?? 0;
            }
        }

        var seconds = Math.Max(1e-3, TimeSpan.FromTicks(lastReceive - startTicks).TotalSeconds);
        return new BenchResult(
            options, delivered, seconds, appended, latency, lost, duplicated, outOfOrder, behind, unexpected, parseErrors,
            history, negative, complete, failures, rss?.StartKb ?? 0, rss?.PeakKb ?? 0, rssEndKb, rss is not null);
    }

    public void Print(TextWriter w)
    {
        var o = Options;
        var rate = Delivered / Seconds;
        w.WriteLine();
        w.WriteLine(Inv($"overseer load: {o.Sessions} sessions x {o.Rate} ev/s x {o.Seconds} s, {o.Subscribers} SSE subscribers"));
        w.WriteLine(Inv($"delivered: {Delivered:N0} events to subscribers in {Seconds:F1} s = {rate:N0} ev/s (per subscriber {rate / o.Subscribers:N0} ev/s); appended ~{Appended:N0} ev"));
        w.WriteLine(Inv($"latency append->receipt: p50 {Latency.PercentileMs(0.50):F2} ms  p99 {Latency.PercentileMs(0.99):F2} ms  max {Latency.MaxMicros / 1000.0:F2} ms"));
        w.WriteLine(Inv($"lost: {Lost:N0}  duplicated: {Duplicated:N0}  out-of-order: {OutOfOrder:N0}  behind-notices: {BehindNotices:N0}"));
        if (HasRss)
            w.WriteLine(Inv($"server RSS: idle {Mb(RssStartKb)} MB, peak {Mb(RssPeakKb)} MB, end {Mb(RssEndKb)} MB"));
        w.WriteLine(Inv($"cpu while running: server {(ServerCpuSeconds is { } sc ? $"{sc:F1} s" : "n/a")}, benchmark {BenchCpuSeconds:F1} s over {Seconds:F1} s on {Environment.ProcessorCount} cores"));
        if (!Complete)
            w.WriteLine(Inv($"note: stopped before every subscriber had every agent.text (timeout {o.Seconds + 30} s or all streams ended)"));
        if (Unexpected > 0)
            w.WriteLine(Inv($"note: {Unexpected:N0} agent.text events of bench sessions had a text outside 1..{o.EventsPerSession}"));
        if (ParseErrors > 0)
            w.WriteLine(Inv($"note: {ParseErrors:N0} SSE messages were not valid event envelopes"));
        if (History > 0)
            w.WriteLine(Inv($"note: {History:N0} events older than their subscriber's connection (catch-up) are left out of latency and throughput"));
        if (NegativeLatencies > 0)
            w.WriteLine(Inv($"note: {NegativeLatencies:N0} events had a ts later than their receipt (clock step?); counted as 0 ms"));
        foreach (var failure in Failures)
            w.WriteLine($"stream ended early: {failure}");
        w.WriteLine(Passed ? "result: PASS" : "result: FAIL");
    }

    private static string Mb(long kb) => (kb / 1024.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
