using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Keeps <c>search_text</c> (FTS5) in step with the log, in the append transaction: a session's
/// prompt, the person's messages and the agent's text (the stored preview of a long one).
/// </summary>
internal static class SqliteSearchIndex
{
    /// <summary>
    /// The table, and every text already in the log. unicode61 with diacritics removed, so
    /// "café" finds "cafe"; the ids are stored but not indexed.
    /// </summary>
    public const string Migration =
        """
        CREATE VIRTUAL TABLE search_text USING fts5(
            text, session_id UNINDEXED, source UNINDEXED, seq UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO search_text(text, session_id, source, seq)
            SELECT json_extract(data, '$.prompt'), session_id, 'prompt', seq FROM events WHERE type = 'session.created'
            UNION ALL
            SELECT json_extract(data, '$.text'), session_id, CASE type WHEN 'user.message' THEN 'user' ELSE 'agent' END, seq
            FROM events WHERE type IN ('user.message', 'agent.text') AND session_id IS NOT NULL;
        """;

    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        if (e.SessionId is not null && e.Type is EventTypes.SessionCreated or EventTypes.SessionUpdated)
        {
            ApplyFields(connection, transaction, e);
            return;
        }
        // Only the one text property is read: this runs in the commit of every agent.text, the
        // hottest path there is, where deserialising the whole record would be waste.
        (string? source, string? property) = e.Type switch
        {
            EventTypes.UserMessage => ("user", "text"),
            EventTypes.AgentText => ("agent", "text"),
            _ => ((string?)null, (string?)null),
        };
        var text = property is not null && e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        // Text outside a session (server notes) belongs to no result.
        if (source is null || e.SessionId is null || string.IsNullOrWhiteSpace(text))
            return;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO search_text(text, session_id, source, seq) VALUES ($text, $session, $source, $seq)";
        command.Parameters.AddWithValue("$text", text);
        command.Parameters.AddWithValue("$session", e.SessionId);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$seq", e.Seq);
        command.ExecuteNonQuery();
    }

    // A session's own fields (prompt, title, description) are found by it, and an edit replaces
    // what was there: each is one row at a rowid made from the session's created seq, so it is
    // replaced by rowid without scanning the table. (Prompts indexed before titles existed have
    // rowids of their own; only drafts' prompts change, and those are all newer.)
    private static readonly (string Source, int Slot)[] Fields = [("prompt", 0), ("title", 1), ("description", 2)];

    private static void ApplyFields(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        long createdSeq;
        if (e.Type == EventTypes.SessionCreated)
        {
            createdSeq = e.Seq;
        }
        else
        {
            using var find = connection.CreateCommand();
            find.Transaction = transaction;
            find.CommandText = "SELECT created_seq FROM sessions WHERE id = $id";
            find.Parameters.AddWithValue("$id", e.SessionId);
            if (find.ExecuteScalar() is not long seq)
                return;
            createdSeq = seq;
        }
        IReadOnlyList<string>? changed = null;
        if (e.Type == EventTypes.SessionUpdated && e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("changed", out var list) && list.ValueKind == JsonValueKind.Array)
            changed = [.. list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
        foreach (var (source, slot) in Fields)
        {
            if (changed is not null && !changed.Contains(source))
                continue;
            var rowId = -(createdSeq * 4 + slot);
            if (changed is not null)
                Run(connection, transaction, "DELETE FROM search_text WHERE rowid = $row", ("$row", rowId));
            if (e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty(source, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text))
            {
                Run(connection, transaction, "INSERT INTO search_text(rowid, text, session_id, source, seq) VALUES ($row, $text, $session, $source, $seq)",
                    ("$row", rowId), ("$text", text), ("$session", e.SessionId), ("$source", source), ("$seq", e.Seq));
            }
        }
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
