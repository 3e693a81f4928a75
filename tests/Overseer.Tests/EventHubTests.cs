using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Events;
using Overseer.Streaming;

namespace Overseer.Tests;

public sealed class EventHubTests
{
    private static readonly JsonElement Data = JsonDocument.Parse("{\"text\":\"x\"}").RootElement;

    private static EventHub Hub(int buffer) => new(Options.Create(new StreamingOptions { SubscriberBuffer = buffer }));

    private static EventEnvelope[] Batch(long from, int count, string session = "s_1") =>
        Enumerable.Range(0, count).Select(i => new EventEnvelope(from + i, session, from + i, "agent.text", DateTimeOffset.UtcNow, "agent", Data)).ToArray();

    [Fact]
    public void OnCommitted_SubscriberNeverReads_BufferStaysBoundedAndItIsMarkedBehind()
    {
        var hub = Hub(buffer: 32);
        using var stalled = hub.Subscribe(null);
        using var reading = hub.Subscribe(null);
        var received = new List<long>();
        for (var batch = 0; batch < 1000; batch++)
        {
            hub.OnCommitted(Batch(batch * 10L + 1, 10));
            while (reading.Reader.TryRead(out var e))
                received.Add(e.Seq);
        }
        stalled.Buffered.ShouldBe(32);
        stalled.IsBehind.ShouldBeTrue();
        received.ShouldBe(Enumerable.Range(1, 10_000).Select(i => (long)i));
        reading.IsBehind.ShouldBeFalse();
    }

    [Fact]
    public void OnCommitted_SessionFilter_DeliversOnlyThoseSessions()
    {
        var hub = Hub(buffer: 100);
        using var onlyA = hub.Subscribe(new HashSet<string> { "s_a" });
        hub.OnCommitted([.. Batch(1, 3, "s_a"), .. Batch(4, 3, "s_b"), new EventEnvelope(7, null, 0, "project.created", DateTimeOffset.UtcNow, "admin", Data)]);
        var seqs = new List<long>();
        while (onlyA.Reader.TryRead(out var e))
            seqs.Add(e.Seq);
        seqs.ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public void Dispose_Unsubscribes()
    {
        var hub = Hub(buffer: 16);
        var subscription = hub.Subscribe(null);
        hub.SubscriberCount.ShouldBe(1);
        subscription.Dispose();
        hub.SubscriberCount.ShouldBe(0);
    }
}
