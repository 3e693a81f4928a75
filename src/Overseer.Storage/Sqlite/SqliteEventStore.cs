using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage.Telemetry;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// The SQLite event log. One writer task owns the write connection: it drains every append
/// that is waiting, commits them in one transaction (group commit), then tells the commit
/// observers. Readers use their own pooled connections (WAL), so they never wait on the writer.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly IReadOnlyList<ICommitObserver> _observers;
    private readonly ILogger<SqliteEventStore> _logger;
    private readonly int _maxBatchSize;
    // The queue the writer drains. Appenders take a slot first (back-pressure at
    // WriteQueueCapacity), then enqueue under the monitor and pulse the writer only when it
    // sleeps: the writer thread wakes straight from the appender's signal, with no pool thread
    // in between (a channel's waiter would queue a continuation that then wakes the writer).
    private readonly object _queueGate = new();
    private readonly Queue<AppendRequest> _queue = new();
    private readonly SemaphoreSlim _room;
    private bool _writerWaiting;
    private bool _closed;
    private readonly Dictionary<string, long> _sessionSeqs = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private Task? _writerLoop;
    private long _lastSeq;
    private int _disposed;
    private readonly TimeSpan _checkpointInterval;
    private SqliteCheckpointer? _checkpointer;

    private readonly TimeProvider _time;

    /// <param name="time">Stamps each event (and so the UTC day its usage counts against a budget); the system clock by default.</param>
    public SqliteEventStore(SqliteDatabase database, IEnumerable<ICommitObserver> observers, ILogger<SqliteEventStore> logger, StorageOptions? options = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        options ??= new StorageOptions();
        _database = database;
        _observers = observers.ToArray();
        _logger = logger;
        _maxBatchSize = options.MaxBatchSize;
        _checkpointInterval = options.CheckpointInterval;
        _room = new SemaphoreSlim(options.WriteQueueCapacity, options.WriteQueueCapacity);
    }

    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Opens the database, runs migrations and starts the writer. Call once before use.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        _writer = await _database.OpenAsync(cancellationToken);
        await SqliteMigrations.ApplyAsync(_writer, cancellationToken);
        using (var command = _writer.CreateCommand())
        {
            // The checkpointer bounds the WAL off the write path; after a checkpoint the file is cut back to 64 MB.
            command.CommandText = "PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events;";
            _lastSeq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        // SQLite calls block; the writer gets a thread of its own so it never holds a pool thread
        // that request handlers and agent hosts need.
        _checkpointer = new SqliteCheckpointer(_database, _checkpointInterval);
        _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public async Task<IReadOnlyList<EventEnvelope>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        if (_writerLoop is null)
            throw new InvalidOperationException("The event store is not initialised.");
        if (events.Count == 0)
            return [];
        var request = new AppendRequest(events);
        await _room.WaitAsync(cancellationToken);
        lock (_queueGate)
        {
            if (_closed)
            {
                _room.Release();
                throw new EventStoreException("The event store is shut down.");
            }
            _queue.Enqueue(request);
            if (_writerWaiting)
            {
                _writerWaiting = false;
                Monitor.Pulse(_queueGate);
            }
        }
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for appends and takes every one waiting (up to the batch size); false once closed and drained.</summary>
    private bool TakeBatch(List<AppendRequest> batch)
    {
        batch.Clear();
        var eventCount = 0;
        lock (_queueGate)
        {
            while (_queue.Count == 0)
            {
                if (_closed)
                    return false;
                _writerWaiting = true;
                Monitor.Wait(_queueGate);
            }
            while (eventCount < _maxBatchSize && _queue.TryDequeue(out var request))
            {
                batch.Add(request);
                eventCount += request.Events.Count;
            }
        }
        _room.Release(batch.Count);
        return true;
    }

    private void WriteLoop()
    {
        var batch = new List<AppendRequest>(_maxBatchSize);
        while (TakeBatch(batch))
        {
            List<EventEnvelope> committed;
            try
            {
                committed = Commit(batch);
            }
            catch (Exception ex) when (batch.Count > 1)
            {
                // One bad append must not fail the others that happened to share its transaction.
                LogBatchFailed(ex, batch.Count);
                committed = [];
                foreach (var request in batch)
                {
                    try
                    {
                        committed.AddRange(Commit([request]));
                    }
                    catch (Exception single)
                    {
                        request.Failed(single);
                    }
                }
            }
            catch (Exception ex)
            {
                batch[0].Failed(ex);
                continue;
            }

            Publish(committed);
            foreach (var request in batch)
            {
                if (request.Started != 0)
                    StoreMetrics.AppendDuration.Record(OverseerTelemetry.Seconds(request.Started));
                request.Succeed();
            }
        }
    }

    private List<EventEnvelope> Commit(List<AppendRequest> batch)
    {
        var started = StoreMetrics.CommitStarted();
        var connection = _writer!;
        var now = _time.GetUtcNow();
        var seq = _lastSeq;
        var sessionSeqs = new Dictionary<string, long>(StringComparer.Ordinal);
        var stored = new List<EventEnvelope>();

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO events(seq, session_id, session_seq, type, ts, actor, data) VALUES ($seq, $sid, $sseq, $type, $ts, $actor, $data)";
        var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var pSid = insert.Parameters.Add("$sid", SqliteType.Text);
        var pSessionSeq = insert.Parameters.Add("$sseq", SqliteType.Integer);
        var pType = insert.Parameters.Add("$type", SqliteType.Text);
        var pTs = insert.Parameters.Add("$ts", SqliteType.Integer);
        var pActor = insert.Parameters.Add("$actor", SqliteType.Text);
        var pData = insert.Parameters.Add("$data", SqliteType.Text);
        insert.Prepare();
        var micros = UnixMicros.From(now);
        SqliteBlobWriter? blobs = null;

        foreach (var request in batch)
        {
            var envelopes = new EventEnvelope[request.Events.Count];
            for (var i = 0; i < envelopes.Length; i++)
            {
                var e = request.Events[i];
                if (string.IsNullOrWhiteSpace(e.Type))
                    throw new EventStoreException("An event needs a type.");
                if (e.Data.ValueKind == JsonValueKind.Undefined)
                    throw new EventStoreException($"Event '{e.Type}' has no data.");
                seq++;
                long sessionSeq = 0;
                if (e.SessionId is { } sid)
                {
                    if (!sessionSeqs.TryGetValue(sid, out sessionSeq))
                        sessionSeq = CurrentSessionSeq(connection, transaction, sid);
                    sessionSeq++;
                    sessionSeqs[sid] = sessionSeq;
                }
                var envelope = new EventEnvelope(seq, e.SessionId, sessionSeq, e.Type, UnixMicros.ToDateTimeOffset(micros), e.Actor, e.Data);
                pSeq.Value = seq;
                pSid.Value = (object?)e.SessionId ?? DBNull.Value;
                pSessionSeq.Value = sessionSeq;
                pType.Value = e.Type;
                pTs.Value = micros;
                pActor.Value = e.Actor;
                pData.Value = e.Data.GetRawText();
                insert.ExecuteNonQuery();
                if (e.Blobs is { Count: > 0 })
                {
                    blobs ??= new SqliteBlobWriter(connection, transaction);
                    blobs.Write(e, seq);
                }
                SqliteProjections.Apply(connection, transaction, envelope);
                envelopes[i] = envelope;
                stored.Add(envelope);
            }
            request.Stored = envelopes;
        }

        blobs?.Dispose();
        transaction.Commit();
        if (started != 0)
            StoreMetrics.CommitDuration.Record(OverseerTelemetry.Seconds(started));
        StoreMetrics.EventsAppended.Add(stored.Count);
        StoreMetrics.BatchSize.Record(stored.Count);
        // Only now that the commit is durable do the in-memory counters move.
        Volatile.Write(ref _lastSeq, seq);
        foreach (var (sid, value) in sessionSeqs)
            _sessionSeqs[sid] = value;
        return stored;
    }

    private long CurrentSessionSeq(SqliteConnection connection, SqliteTransaction transaction, string sessionId)
    {
        if (_sessionSeqs.TryGetValue(sessionId, out var cached))
            return cached;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(session_seq), 0) FROM events WHERE session_id = $sid";
        command.Parameters.AddWithValue("$sid", sessionId);
        return (long)command.ExecuteScalar()!;
    }

    private void Publish(List<EventEnvelope> committed)
    {
        if (committed.Count == 0)
            return;
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCommitted(committed);
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex, observer.GetType().Name);
            }
        }
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAsync(long afterSeq, int limit, IReadOnlySet<string>? sessions = null, CancellationToken cancellationToken = default)
    {
        if (sessions is { Count: 0 })
            return Task.FromResult<IReadOnlyList<EventEnvelope>>([]);
        if (sessions is { Count: 1 })
            return ReadSessionAsync(sessions.First(), afterSeq, limit, cancellationToken);
        return SqliteEventReader.ReadAsync(_database, afterSeq, limit, sessions, cancellationToken);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        SqliteEventReader.ReadAsync(_database, afterSeq, limit, new HashSet<string>(StringComparer.Ordinal) { sessionId }, cancellationToken);

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionBeforeAsync(string sessionId, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        SqliteEventReader.ReadSessionBeforeAsync(_database, sessionId, beforeSeq, limit, cancellationToken);

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            var healthy = _writerLoop is { IsCompleted: false };
            return new StoreHealth(healthy, "sqlite", LastSeq, healthy ? null : "the writer has stopped");
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return new StoreHealth(false, "sqlite", LastSeq, ex.Message);
        }
    }

    /// <summary>Stops taking appends, commits what is queued and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        lock (_queueGate)
        {
            _closed = true;
            Monitor.PulseAll(_queueGate);
        }
        if (_writerLoop is not null)
            await _writerLoop;
        _checkpointer?.Dispose();
        if (_writer is not null)
        {
            using (var checkpoint = _writer.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                checkpoint.ExecuteNonQuery();
            }
            await _writer.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} appends failed; retrying them one by one")]
    private partial void LogBatchFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit observer {Observer} threw")]
    private partial void LogObserverFailed(Exception ex, string observer);

    private sealed class AppendRequest(IReadOnlyList<NewEvent> events)
    {
        public IReadOnlyList<NewEvent> Events { get; } = events;
        public EventEnvelope[]? Stored { get; set; }
        /// <summary>When it arrived, for the append latency; 0 when nobody measures.</summary>
        public long Started { get; } = StoreMetrics.AppendStarted();
        public TaskCompletionSource<IReadOnlyList<EventEnvelope>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Succeed() => Completion.TrySetResult(Stored!);

        public void Failed(Exception ex) => Completion.TrySetException(
            ex as EventStoreException ?? new EventStoreException("The events could not be stored: " + ex.Message, ex));
    }
}
