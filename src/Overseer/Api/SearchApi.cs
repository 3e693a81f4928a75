using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary><c>GET /api/search?q=…&amp;limit=</c>: sessions whose prompt or transcript has the words.</summary>
public static class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", async (HttpContext context, ISessionSearch search, IReadModel readModel) =>
        {
            if (!QueryParams.TryInt(context.Request, "limit", SearchLimits.DefaultResults, 1, SearchLimits.MaxResults, out var limit, out var problem))
                return problem!;
            var (response, invalid) = await SearchAsync(context.Request.Query["q"].FirstOrDefault(), limit, search, readModel, await Visibility.ProjectsAsync(context), context.RequestAborted);
            return response is not null ? TypedResults.Ok(response) : invalid!.ToResult();
        }).Requires(Roles.Viewer);
        return api;
    }

    /// <summary>The hits with their sessions (prompts cut to a preview), or the problem with the query; the dashboard's results page asks the same.</summary>
    public static async Task<(SearchResponse? Response, ApiProblem? Problem)> SearchAsync(string? q, int limit, ISessionSearch search, IReadModel readModel, IReadOnlyCollection<string>? visible, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
            return (null, new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "Query parameter 'q' is required: the words to search for.", "q"));
        if (q.Length > SearchLimits.MaxQueryChars)
            return (null, new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'q' is {q.Length} characters; a search is at most {SearchLimits.MaxQueryChars}.", "q"));
        var query = SearchQuery.Parse(q);
        if (query.IsEmpty)
            return (null, new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidQuery,
                "Query parameter 'q' has no words to search for: search matches letters and digits (a trailing * matches a prefix, \"quotes\" a phrase).", "q"));
        var items = new List<SearchHitDto>();
        foreach (var hit in await search.SearchAsync(query, limit, cancellationToken))
        {
            if (await readModel.GetSessionAsync(hit.SessionId, cancellationToken) is not { } session)
                continue;
            if (visible is not null && !visible.Contains(session.ProjectId))
                continue;
            items.Add(new SearchHitDto(Preview(session), hit.Snippet, [.. hit.Highlights.Select(h => new HighlightDto(h.Start, h.Length))], hit.Source, hit.Seq, hit.Matches));
        }
        return (new SearchResponse(query.ToString(), items), null);
    }

    private static SessionDto Preview(SessionDto session)
    {
        if (session.Prompt.Length <= ListLimits.PromptPreviewChars)
            return session;
        // Never half a surrogate pair: the preview must stay valid Unicode.
        var cut = char.IsHighSurrogate(session.Prompt[ListLimits.PromptPreviewChars - 1]) ? ListLimits.PromptPreviewChars - 1 : ListLimits.PromptPreviewChars;
        return session with { Prompt = session.Prompt[..cut], PromptTruncated = true, PromptLength = session.Prompt.Length };
    }
}
