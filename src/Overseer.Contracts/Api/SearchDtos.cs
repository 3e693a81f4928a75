namespace Overseer.Contracts.Api;

/// <summary>Sessions whose prompt or transcript matched, best match first.</summary>
public sealed record SearchResponse(string Query, IReadOnlyList<SearchHitDto> Items);

/// <summary>
/// One matching session: its best-matching text as a short <see cref="Snippet"/>, the matched
/// words located by <see cref="Highlights"/> (start and length in UTF-16 characters), where the
/// text came from (<c>prompt</c>, <c>user</c> or <c>agent</c>, with the event's seq), and how many
/// of the session's texts matched.
/// </summary>
public sealed record SearchHitDto(
    SessionDto Session,
    string Snippet,
    IReadOnlyList<HighlightDto> Highlights,
    string Source,
    long Seq,
    int Matches);

public sealed record HighlightDto(int Start, int Length);

public static class SearchLimits
{
    public const int DefaultResults = 20;
    public const int MaxResults = 100;
    public const int MaxQueryChars = 500;
}
