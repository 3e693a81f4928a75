using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Search over <c>search_text</c> with FTS5: each session's best text by bm25, then a snippet of
/// it. Deleted sessions are left out (their texts stay indexed, as their events stay in the log). The query is built from <see cref="SearchQuery"/>'s terms, every one quoted, so no user
/// text is ever read as FTS5 syntax.
/// </summary>
internal sealed class SqliteSessionSearch(SqliteDatabase database) : ISessionSearch
{
    private const char Open = '\u0002';
    private const char Close = '\u0003';

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, int limit, CancellationToken cancellationToken = default)
    {
        if (query.IsEmpty)
            return [];
        var match = ToMatch(query);
        await using var connection = await database.OpenAsync(cancellationToken);
        var best = new List<(long RowId, string SessionId, int Matches)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                """
                WITH hits AS (SELECT rowid AS id, session_id, rank FROM search_text WHERE search_text MATCH $match
                              AND session_id NOT IN (SELECT id FROM sessions WHERE status = 'deleted')),
                ranked AS (SELECT id, session_id, rank,
                                  row_number() OVER (PARTITION BY session_id ORDER BY rank, id) AS n,
                                  count(*) OVER (PARTITION BY session_id) AS matches FROM hits)
                SELECT id, session_id, matches FROM ranked WHERE n = 1 ORDER BY rank, id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                best.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }
        if (best.Count == 0)
            return [];

        var snippets = new Dictionary<long, (string Source, long Seq, string Snippet)>();
        using (var command = connection.CreateCommand())
        {
            var ids = string.Join(", ", best.Select((_, i) => "$r" + i.ToString(CultureInfo.InvariantCulture)));
            command.CommandText =
                $"""
                SELECT rowid, source, seq, snippet(search_text, 0, char(2), char(3), '…', 24)
                FROM search_text WHERE search_text MATCH $match AND rowid IN ({ids})
                """;
            command.Parameters.AddWithValue("$match", match);
            for (var i = 0; i < best.Count; i++)
                command.Parameters.AddWithValue("$r" + i.ToString(CultureInfo.InvariantCulture), best[i].RowId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                snippets[reader.GetInt64(0)] = (reader.GetString(1), reader.GetInt64(2), reader.GetString(3));
        }
        return best.Where(b => snippets.ContainsKey(b.RowId)).Select(b =>
        {
            var (source, seq, marked) = snippets[b.RowId];
            var (text, highlights) = Unmark(marked);
            return new SearchHit(b.SessionId, source, seq, text, highlights, b.Matches);
        }).ToList();
    }

    /// <summary>Every term as an FTS5 string (a phrase when it has several words), a prefix with <c>*</c> after the quotes; terms are ANDed.</summary>
    internal static string ToMatch(SearchQuery query) =>
        string.Join(' ', query.Terms.Select(t => "\"" + string.Join(' ', t.Words).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (t.Prefix ? "*" : "")));

    /// <summary>Turns the snippet's markers into ranges; a marker character that was in the text itself is dropped.</summary>
    private static (string Text, IReadOnlyList<(int, int)> Highlights) Unmark(string marked)
    {
        var text = new StringBuilder(marked.Length);
        var highlights = new List<(int, int)>();
        var start = -1;
        foreach (var c in marked)
        {
            if (c == Open)
                start = text.Length;
            else if (c == Close && start >= 0)
            {
                if (text.Length > start)
                    highlights.Add((start, text.Length - start));
                start = -1;
            }
            else if (c != Close)
                text.Append(c);
        }
        return (text.ToString(), highlights);
    }
}
