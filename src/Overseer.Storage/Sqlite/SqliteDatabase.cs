using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

/// <summary>Opens connections to the one database file with the pragmas every connection needs.</summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _synchronous;

    public SqliteDatabase(string path, string synchronous = "NORMAL")
    {
        if (synchronous is not ("NORMAL" or "FULL"))
            throw new ArgumentException($"Storage:Synchronous must be NORMAL or FULL, not '{synchronous}'.", nameof(synchronous));
        Path = path;
        _synchronous = synchronous;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // WAL lets readers run beside the single writer; busy_timeout covers the rare second writer (tokens).
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
