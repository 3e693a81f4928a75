using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Cli;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// The one HTTP client every command uses: bearer token, typed JSON through <see cref="OverseerJson"/>,
/// and every failure turned into a <see cref="CliException"/> with a stable exit code.
/// </summary>
public sealed class OverseerClient : IDisposable
{
    public const int PageSize = Contracts.Api.ListLimits.MaxPageSize;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public OverseerClient(ClientConfig config)
    {
        if (!Uri.TryCreate(config.Url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            throw new CliException(ExitCodes.Usage, $"'{config.Url}' is not an http(s) URL");
        BaseAddress = baseAddress;
        // Streams stay open for hours; ordinary requests get their own deadline in SendAsync.
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("overseer-cli", "1"));
    }

    public Uri BaseAddress { get; }

    public static OverseerClient FromConfig() => new(ClientConfigStore.Require());

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Relative(path)), cancellationToken);
        return await ReadAsync(response, type, cancellationToken);
    }

    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Relative(path)), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Relative(path))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    /// <summary>A session command with no body (interrupt, pause, resume, cancel); answers the session as it is now.</summary>
    public Task<SessionDto> PostAsync(string path, CancellationToken cancellationToken) =>
        PostAsync(path, OverseerJson.Default.SessionDto, cancellationToken);

    /// <summary>A POST with no body (the route takes none).</summary>
    public async Task<TResponse> PostAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, Relative(path)), cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    public async Task<TResponse> PutAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Relative(path)) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    /// <summary>A JSON body sent with any method (PUT, PATCH); the answer, if any, is not read.</summary>
    public async Task SendJsonAsync<TRequest>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, Relative(path)) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, cancellationToken);
    }

    /// <summary>A JSON body sent with any method (PATCH); answers what the server answers.</summary>
    public async Task<TResponse> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, Relative(path)) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, cancellationToken);
        return await ReadAsync(response, responseType, cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, Relative(path)), cancellationToken);
    }

    /// <summary>Every page of a list endpoint, following <c>next</c> as the <c>cursor</c>.</summary>
    public async Task<List<T>> ListAllAsync<T>(string path, JsonTypeInfo<ListResponse<T>> type, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? cursor = null;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        do
        {
            var page = await GetAsync($"{path}{separator}limit={PageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), type, cancellationToken);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>
    /// The session's stored events after <paramref name="after"/>, page by page, each with its JSON
    /// exactly as the API sent it (so <c>logs --json</c> and <c>export</c> reproduce the server's bytes).
    /// </summary>
    public async IAsyncEnumerable<(EventEnvelope Event, string Json)> EventsAsync(string sessionId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var json = await GetStringAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/events?after={after}&limit={PageSize}", cancellationToken);
            using var page = JsonDocument.Parse(json);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var envelope = item.Deserialize(OverseerJson.Default.EventEnvelope)!;
                after = envelope.Seq;
                yield return (envelope, item.GetRawText());
            }
            if (!page.RootElement.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.String)
                yield break;
        }
    }

    /// <summary>Opens an SSE stream; the caller reads the body. Failures before the first byte throw like any request.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, long lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Relative(path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await SendAsync(request, cancellationToken, stream: true);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool stream = false)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            using (request)
                response = await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach the server at {BaseAddress}: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"the server at {BaseAddress} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await ProblemAsync(response, cancellationToken);
    }

    private async Task<CliException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? detail = null, code = null;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page, say): the status alone has to do.
        }
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(ExitCodes.Auth, $"the server refused the token ({status}); run 'overseer login <url>'"),
            HttpStatusCode.Forbidden => new CliException(ExitCodes.Auth, detail ?? $"the token may not do this ({status})"),
            HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, detail ?? $"not found ({status})"),
            // Shutting down, or a proxy whose upstream is gone: as good as unreachable, and worth retrying.
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                new CliException(ExitCodes.Unreachable, $"the server at {BaseAddress} is unavailable ({status}){(detail is null ? "" : ": " + detail)}"),
            _ => new CliException(ExitCodes.Error, (detail ?? $"the server answered {status} {response.ReasonPhrase}") + (code is null ? "" : $" ({code})")),
        };
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new CliException(ExitCodes.Error, "the server sent an empty answer");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Error, $"the server sent JSON this client does not understand: {ex.Message}");
        }
    }

    private static string Relative(string path) => path.TrimStart('/');

    public void Dispose() => _http.Dispose();
}
