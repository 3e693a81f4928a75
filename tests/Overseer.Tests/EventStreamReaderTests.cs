using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage;
using Overseer.Storage.Sqlite;
using Overseer.Streaming;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>
/// The live path's reader over a real store and hub (issue 13): what a subscriber gets when the
/// writer hands committed batches straight to the hub and the subscriber drains before it flushes.
/// </summary>
public sealed class EventStreamReaderTests : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly EventHub _hub;
    private readonly SqliteEventStore _store;
    private readonly EventStreamReader _reader;

    public EventStreamReaderTests()
    {
        var options = Options.Create(new StreamingOptions { SubscriberBuffer = 16, CatchUpPageSize = 50 });
        _hub = new EventHub(options);
        _store = new SqliteEventStore(new SqliteDatabase(Path.Combine(_temp.Path, "overseer.db")), [_hub], NullLogger<SqliteEventStore>.Instance);
        _reader = new EventStreamReader(_hub, _store, options);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private static NewEvent Text(string session, int n) =>
        new(session, EventTypes.AgentText, "agent", JsonSerializer.SerializeToElement(new AgentTextData(n.ToString(System.Globalization.CultureInfo.InvariantCulture)), OverseerJson.Default.AgentTextData));

    [Fact]
    public async Task ReadAsync_SubscriberStallsWhileSessionsAppendBatches_IsMarkedBehindAndCatchesUpFromTheStoreWithoutGapOrDuplicate()
    {
        await _store.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var stream = _reader.ReadAsync(0, null, timeout.Token).GetAsyncEnumerator(timeout.Token);
        await _store.AppendAsync([Text("s0", 1)]);
        (await stream.MoveNextAsync()).ShouldBeTrue();
        stream.Current.Event!.Seq.ShouldBe(1);

        // The subscriber reads nothing while four sessions append 25 batches of 10 each: far past
        // its 16-event buffer, so the hub marks it behind rather than wait for it.
        await Task.WhenAll(Enumerable.Range(1, 4).Select(session => Task.Run(async () =>
        {
            for (var batch = 0; batch < 25; batch++)
                await _store.AppendAsync([.. Enumerable.Range(batch * 10, 10).Select(n => Text($"s{session}", n))]);
        })));
        const long last = 1 + (4 * 25 * 10);

        var seqs = new List<long>();
        var behind = 0;
        while (seqs.LastOrDefault() < last && await stream.MoveNextAsync())
        {
            if (stream.Current.Kind == StreamItemKind.Behind)
                behind++;
            else if (stream.Current.Kind == StreamItemKind.Event)
                seqs.Add(stream.Current.Event!.Seq);
        }

        behind.ShouldBe(1);
        seqs.ShouldBe(Enumerable.Range(2, (int)last - 1).Select(n => (long)n));
    }

    [Fact]
    public async Task ReadAsync_ConcurrentSessionsAppendBatches_EverySubscriberGetsEveryEventOnceInSeqOrder()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int sessions = 6, batches = 40, perBatch = 5;
        const long last = sessions * batches * perBatch;
        // Large enough buffers that no reader falls behind: this is the plain live path.
        var options = Options.Create(new StreamingOptions { SubscriberBuffer = (int)last + 1 });
        var hub = new EventHub(options);
        await using var store = new SqliteEventStore(new SqliteDatabase(Path.Combine(_temp.Path, "wide.db")), [hub], NullLogger<SqliteEventStore>.Instance);
        await store.InitializeAsync();
        var reader = new EventStreamReader(hub, store, options);

        var subscribers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var got = new List<EventEnvelope>();
            await foreach (var item in reader.ReadAsync(0, null, timeout.Token))
            {
                if (item.Kind == StreamItemKind.Event)
                    got.Add(item.Event!);
                if (got.Count == last)
                    break;
            }
            return got;
        })).ToList();
        while (hub.SubscriberCount < 3)
            await Task.Delay(10, timeout.Token);

        await Task.WhenAll(Enumerable.Range(0, sessions).Select(session => Task.Run(async () =>
        {
            for (var batch = 0; batch < batches; batch++)
                await store.AppendAsync([.. Enumerable.Range(batch * perBatch, perBatch).Select(n => Text($"s{session}", n))]);
        })));

        foreach (var got in await Task.WhenAll(subscribers))
        {
            got.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, (int)last).Select(n => (long)n));
            foreach (var session in got.GroupBy(e => e.SessionId))
                session.Select(e => e.Data.Deserialize(OverseerJson.Default.AgentTextData)!.Text).ShouldBe(Enumerable.Range(0, batches * perBatch).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
