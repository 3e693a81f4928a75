namespace Overseer.Storage;

/// <summary>
/// Full-text search over sessions: their prompts and the text of their transcripts (the person's
/// messages and the agent's replies), kept in step with the log by the store.
/// </summary>
public interface ISessionSearch
{
    /// <summary>The best-matching sessions first, each with the one text that matched best.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// A session that matched: where its best text came from (<c>prompt</c>, <c>user</c>, <c>agent</c>)
/// and the event's seq, a snippet of that text with the matched words at <see cref="Highlights"/>
/// (start, length), and how many of the session's texts matched.
/// </summary>
public sealed record SearchHit(string SessionId, string Source, long Seq, string Snippet, IReadOnlyList<(int Start, int Length)> Highlights, int Matches);
