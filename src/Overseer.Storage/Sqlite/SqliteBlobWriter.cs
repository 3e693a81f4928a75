using System.Text;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Stores an event's <see cref="NewEvent.Blobs"/> inside the transaction that stores the event,
/// so an event never refers to a blob that is not there. A blob already stored for the session
/// (same content, same id) is not written again.
/// </summary>
internal sealed class SqliteBlobWriter : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _sessionId, _id, _length, _content, _seq;

    public SqliteBlobWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _insert = connection.CreateCommand();
        _insert.Transaction = transaction;
        _insert.CommandText = "INSERT INTO blobs(session_id, id, length, content, created_seq) VALUES ($sid, $id, $length, $content, $seq) ON CONFLICT(session_id, id) DO NOTHING";
        _sessionId = _insert.Parameters.Add("$sid", SqliteType.Text);
        _id = _insert.Parameters.Add("$id", SqliteType.Text);
        _length = _insert.Parameters.Add("$length", SqliteType.Integer);
        _content = _insert.Parameters.Add("$content", SqliteType.Blob);
        _seq = _insert.Parameters.Add("$seq", SqliteType.Integer);
    }

    public void Write(NewEvent e, long seq)
    {
        if (e.SessionId is not { } sessionId)
            throw new EventStoreException($"Event '{e.Type}' has blobs but no session: a blob belongs to a session.");
        foreach (var blob in e.Blobs!)
        {
            if (blob.Id.Length != 64 || !blob.Id.All(char.IsAsciiHexDigitLower))
                throw new EventStoreException($"Event '{e.Type}' has a blob whose id is not a lowercase hex SHA-256.");
            _sessionId.Value = sessionId;
            _id.Value = blob.Id;
            _length.Value = blob.Text.Length;
            _content.Value = Encoding.UTF8.GetBytes(blob.Text);
            _seq.Value = seq;
            _insert.ExecuteNonQuery();
        }
    }

    public void Dispose() => _insert.Dispose();
}
