using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Overseer.Contracts.Events;
using Overseer.Storage.Sqlite;

namespace Overseer.Storage.Tests;

/// <summary>A real SQLite event store and read model in a fresh temp directory, deleted on dispose.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ICommitObserver[] _observers;
    private bool _storeDisposed;

    private readonly TimeProvider? _time;

    private TestStore(ICommitObserver[] observers, TimeProvider? time = null)
    {
        _observers = observers;
        _time = time;
        _directory = Path.Combine(Path.GetTempPath(), "overseer-storage-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Database = new SqliteDatabase(Path.Combine(_directory, "overseer.db"));
        ReadModel = new SqliteReadModel(Database);
        Store = NewStore();
    }

    public SqliteDatabase Database { get; }

    public SqliteEventStore Store { get; private set; }

    public SqliteReadModel ReadModel { get; }

    public static async Task<TestStore> OpenAsync(params ICommitObserver[] observers)
    {
        var store = new TestStore(observers);
        await store.Store.InitializeAsync();
        return store;
    }

    /// <summary>A store whose events are stamped by <paramref name="time"/> (the day a usage counts against a budget).</summary>
    public static async Task<TestStore> OpenAsync(TimeProvider time)
    {
        var store = new TestStore([], time);
        await store.Store.InitializeAsync();
        return store;
    }

    public SqliteEventStore NewStore() =>
        new(Database, _observers, NullLogger<SqliteEventStore>.Instance, new StorageOptions(), _time);

    /// <summary>Closes the store and opens a new one on the same file, as a restart would.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = NewStore();
        await Store.InitializeAsync();
    }

    /// <summary>For tests that dispose the store themselves.</summary>
    public void MarkStoreDisposed() => _storeDisposed = true;

    public Task<IReadOnlyList<EventEnvelope>> AppendAsync(params NewEvent[] events) => Store.AppendAsync(events);

    public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync() => Store.ReadAsync(0, 10_000);

    public async ValueTask DisposeAsync()
    {
        if (!_storeDisposed)
            await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a pooled connection may hold the file for a moment.
        }
    }
}
