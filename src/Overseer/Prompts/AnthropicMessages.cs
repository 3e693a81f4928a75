using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Prompts;

/// <summary>
/// One call to the Anthropic Messages API (<c>POST {base}/v1/messages</c>, not streamed): a system
/// prompt and one user message in, the text of the reply out. One request shape is all the
/// optimiser needs, so it is a typed HTTP call rather than an SDK.
/// </summary>
internal sealed class AnthropicMessages : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <exception cref="OptimizerException">The API could not be reached or refused; the message says how (never with the key).</exception>
    public async Task<(string Text, string Model, bool Cut)> AskAsync(string baseUrl, string apiKey, string model, int maxTokens, string system, string user, CancellationToken cancellationToken)
    {
        var body = new MessagesRequest(model, maxTokens, system, [new MessagesMessage("user", user)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl.TrimEnd('/') + "/v1/messages")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, PromptJson.Default.MessagesRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", apiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new OptimizerException($"{request.RequestUri!.GetLeftPart(UriPartial.Authority)} cannot be reached: {ex.Message}");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var message = TryRead(text, PromptJson.Default.MessagesError)?.Error?.Message;
                throw new OptimizerException($"The Messages API answered HTTP {(int)response.StatusCode}{(message is null ? "" : ": " + message)}.");
            }
            var answer = TryRead(text, PromptJson.Default.MessagesResponse) ?? throw new OptimizerException("The Messages API answered something that is not a message.");
            var reply = string.Concat((answer.Content ?? []).Where(b => b.Type == "text").Select(b => b.Text));
            return (reply, answer.Model ?? model, answer.StopReason == "max_tokens");
        }
    }

    private static T? TryRead<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}

internal sealed record MessagesRequest(
    string Model,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    string System,
    IReadOnlyList<MessagesMessage> Messages);

internal sealed record MessagesMessage(string Role, string Content);

internal sealed record MessagesResponse(
    string? Model,
    IReadOnlyList<MessagesBlock>? Content,
    [property: JsonPropertyName("stop_reason")] string? StopReason);

internal sealed record MessagesBlock(string? Type, string? Text);

internal sealed record MessagesError(MessagesErrorDetail? Error);

internal sealed record MessagesErrorDetail(string? Type, string? Message);

/// <summary>The optimiser's API failed or refused.</summary>
internal sealed class OptimizerException(string message) : Exception(message);
