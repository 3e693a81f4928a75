using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// <see cref="IModelClient"/> on an OpenAI-compatible chat-completions endpoint, over plain HTTP
/// (see docs/runtimes.md for why not the <c>OpenAI</c> package): streamed calls become
/// <see cref="ModelStreamEvent"/>s, and the endpoint's failures the loop's typed errors — 429
/// rate-limited with the server's Retry-After; 5xx, 408, a refused connection or a timeout
/// unavailable (a router falls back on these); other 4xx refused with the server's message.
/// Nothing is retried here: the session (or the router) decides.
/// </summary>
internal sealed partial class OpenAIModelClient(IOptions<OpenAIOptions> options, OpenAIKey key, HttpClient http, TimeProvider time, ILogger<OpenAIModelClient> logger) : IModelClient
{
    /// <summary>Models the server said cannot take tools (ToolCalling auto): they are asked in plain chat from then on.</summary>
    private readonly ConcurrentDictionary<string, bool> _plainChat = new(StringComparer.Ordinal);

    public string Provider => "openai";

    private string BaseUrl => options.Value.BaseUrl!.TrimEnd('/');

    /// <summary>Whether calls of <paramref name="model"/> carry the tools.</summary>
    public bool SendsTools(string model) => options.Value.ToolCalling switch
    {
        "off" => false,
        "on" => true,
        _ => !_plainChat.ContainsKey(model),
    };

    public async IAsyncEnumerable<ModelStreamEvent> StreamAsync(ModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.Value.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked.Token;
        HttpResponseMessage response;
        try
        {
            response = await OpenAsync(request, token);
        }
        catch (Exception ex) when (ex is not ModelException && Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
        using var _ = response;
        IAsyncEnumerator<ModelStreamEvent> stream;
        try
        {
            stream = OpenAIStream.ReadAsync(await response.Content.ReadAsStreamAsync(token), request.Model, token).GetAsyncEnumerator(token);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
        try
        {
            while (true)
            {
                try
                {
                    if (!await stream.MoveNextAsync())
                        yield break;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                yield return stream.Current;
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    public async Task<ModelReadiness> CheckReadinessAsync(string model, CancellationToken cancellationToken)
    {
        var (value, source) = await key.ResolveAsync(cancellationToken);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, BaseUrl + "/models");
            if (value is not null)
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                return new ModelReadiness(true, true, false, $"key: {source}; {BaseUrl} refused the check: {OpenAIErrors.FromBody(body)} (status {(int)response.StatusCode})");
            var listed = Listed(body);
            return listed.Contains(model, StringComparer.Ordinal)
                ? new ModelReadiness(true, true, true, $"key: {source}; {BaseUrl} answers; model {model} is listed")
                : new ModelReadiness(true, true, false, $"key: {source}; {BaseUrl} answers, but does not list the model {model} (it lists {(listed.Count == 0 ? "none" : string.Join(", ", listed.Take(8)))}{(listed.Count > 8 ? ", …" : "")})");
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } failure)
        {
            return new ModelReadiness(true, false, false, $"key: {source}; not reachable: {failure.Message}");
        }
    }

    /// <summary>The call's response; with ToolCalling auto, a model the server says cannot take tools is asked again without them.</summary>
    private async Task<HttpResponseMessage> OpenAsync(ModelRequest request, CancellationToken token)
    {
        var sendTools = SendsTools(request.Model);
        try
        {
            return await SendAsync(request, sendTools, token);
        }
        catch (ModelRequestException refused) when (options.Value.ToolCalling == "auto" && sendTools && OpenAIErrors.NoToolSupport(refused.Message))
        {
            _plainChat[request.Model] = true;
            LogPlainChat(request.Model);
            return await SendAsync(request, sendTools: false, token);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(ModelRequest request, bool sendTools, CancellationToken token)
    {
        var (value, _) = await key.ResolveAsync(token);
        using var message = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/chat/completions")
        {
            Content = new ByteArrayContent(OpenAIRequests.Build(request, sendTools)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (value is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(token);
            var said = $"{OpenAIErrors.FromBody(body)} (status {(int)response.StatusCode} from {BaseUrl})";
            var status = (int)response.StatusCode;
            throw status switch
            {
                429 => new ModelRateLimitedException(said, RetryAfter(response.Headers.RetryAfter), overloaded: false),
                >= 500 or 408 => new ModelUnavailableException(said, status),
                _ => new ModelRequestException(said, status, OpenAIErrors.PromptTooLong(said)),
            };
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
            return date - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero;
        return null;
    }

    /// <summary>The loop's error for a transport failure; null for what is not one (the caller's own cancellation).</summary>
    private ModelException? Translate(Exception ex, CancellationToken callerToken)
    {
        if (ex is OperationCanceledException && callerToken.IsCancellationRequested)
            return null;
        return ex switch
        {
            ModelException model => model,
            OperationCanceledException => new ModelUnavailableException($"{BaseUrl} did not answer within {options.Value.RequestTimeout}.", null, ex),
            HttpRequestException or IOException => new ModelUnavailableException($"{BaseUrl} could not be reached: {ex.Message}", null, ex),
            JsonException => new ModelUnavailableException($"{BaseUrl} sent a chunk that is not JSON: {ex.Message}", null, ex),
            _ => null,
        };
    }

    private static List<string> Listed(string body)
    {
        var listed = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var model in data.EnumerateArray())
                {
                    if (model.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                        listed.Add(id.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
        }
        return listed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The model {Model} cannot take tools, the endpoint says: it is asked in plain chat from now on")]
    private partial void LogPlainChat(string model);
}
