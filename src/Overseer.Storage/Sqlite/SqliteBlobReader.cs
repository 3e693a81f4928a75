using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

/// <summary>Blobs are read on a pooled connection of their own (WAL): never behind the writer.</summary>
public sealed class SqliteBlobReader(SqliteDatabase database) : IBlobReader
{
    public async Task<byte[]?> ReadBlobAsync(string sessionId, string blobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT content FROM blobs WHERE session_id = $sid AND id = $id";
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$id", blobId);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }
}
