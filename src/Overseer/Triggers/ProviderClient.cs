using System.Net.Http.Headers;
using System.Text.Json;

namespace Overseer.Triggers;

/// <summary>
/// Posts a comment through the provider's API. GitHub: <c>POST {base}/repos/{owner}/{repo}/issues/{n}/comments</c>
/// with <c>Authorization: Bearer</c> (pull requests take comments as issues do). GitLab:
/// <c>POST {base}/projects/{id}/issues/{iid}/notes</c> (or <c>merge_requests</c>) with <c>PRIVATE-TOKEN</c>.
/// No redirects (an API answers, it does not send the token elsewhere), no cookies.
/// </summary>
internal sealed class ProviderClient : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        // Each post has its own deadline (Triggers:SendTimeout) through its cancellation token.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Posts <paramref name="body"/> and answers the comment's address when the provider gives one.</summary>
    /// <exception cref="PostbackException">The provider refused it or could not be reached; the message says how (never with the token).</exception>
    public async Task<string?> CommentAsync(string apiBaseUrl, string token, PostbackTarget target, string body, string? sourceUrl, CancellationToken cancellationToken)
    {
        var number = target.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (path, github) = target.Provider switch
        {
            TriggerProviders.GitHub when target.Repository.Split('/') is [var owner, var repo] =>
                ($"/repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repo)}/issues/{number}/comments", true),
            TriggerProviders.GitLab => ($"/projects/{Uri.EscapeDataString(target.Repository)}/{(target.Kind == "merge_request" ? "merge_requests" : "issues")}/{number}/notes", false),
            _ => throw new PostbackException($"Cannot comment on {target.Provider} {target.Repository}."),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, apiBaseUrl.TrimEnd('/') + path)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new ProviderComment(body), TriggerJson.Default.ProviderComment)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Overseer", "1"));
        if (github)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        }
        else
        {
            request.Headers.Add("PRIVATE-TOKEN", token);
        }
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new PostbackException($"{request.RequestUri!.GetLeftPart(UriPartial.Authority)} cannot be reached: {ex.Message}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new PostbackException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + (text.Length > 300 ? text[..300] : text) : "")}");
            return Address(text, github, sourceUrl);
        }
    }

    /// <summary>GitHub answers the comment's <c>html_url</c>; GitLab a note <c>id</c>, which is an anchor on the issue's page.</summary>
    private static string? Address(string answer, bool github, string? sourceUrl)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            var root = json.RootElement;
            if (github)
                return root.TryGetProperty("html_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null;
            return root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && sourceUrl is not null ? $"{sourceUrl}#note_{id.GetRawText()}" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>The body both providers take for a comment.</summary>
public sealed record ProviderComment(string Body);

/// <summary>A post-back the provider refused or that could not reach it.</summary>
internal sealed class PostbackException(string message) : Exception(message);
