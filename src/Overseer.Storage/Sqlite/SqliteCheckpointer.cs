using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Keeps the WAL bounded without stalling appends: SQLite's automatic checkpoint runs inside the
/// committing transaction (and syncs the disk there), which put 50–100 ms pauses on the event
/// path. This checkpoints from its own connection and thread instead; a passive checkpoint
/// never blocks the writer.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public SqliteCheckpointer(SqliteDatabase database, TimeSpan interval)
    {
        _database = database;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "overseer-checkpoint" };
        _thread.Start();
    }

    public long Checkpoints { get; private set; }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            connection = _database.OpenAsync().GetAwaiter().GetResult();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            while (!_stop.Token.WaitHandle.WaitOne(_interval))
            {
                try
                {
                    command.ExecuteNonQuery();
                    Checkpoints++;
                }
                catch (SqliteException)
                {
                    // Busy or locked: the next round tries again.
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
