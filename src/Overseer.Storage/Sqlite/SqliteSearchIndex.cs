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
        // Only the one text property is read: this runs in the commit of every agent.text, the
        // hottest path there is, where deserialising the whole record would be waste.
        (string? source, string? property) = e.Type switch
        {
            EventTypes.SessionCreated => ("prompt", "prompt"),
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
}
