using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using global::Anthropic;
using global::Anthropic.Core;
using global::Anthropic.Exceptions;
using global::Anthropic.Models.Messages;
using global::Anthropic.Models.Models;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// <see cref="IModelClient"/> on the Messages API through the official <c>Anthropic</c> package:
/// streamed calls become <see cref="ModelStreamEvent"/>s, and the API's failures the loop's typed
/// errors (429 and 529 rate-limited with the server's wait, 5xx unavailable, other 4xx refused with
/// the API's message). The library retries nothing: the session decides what a failure means.
/// </summary>
internal sealed class AnthropicModelClient(AnthropicOptions options, AnthropicKey key, HttpClient http, TimeProvider time) : IModelClient
{
    private readonly Lock _gate = new();
    private (string Key, AnthropicClient Client)? _client;

    public string Provider => "anthropic";

    public async IAsyncEnumerable<ModelStreamEvent> StreamAsync(ModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var wait = RetryAfterCapture.Begin();
        var stream = client.Messages.CreateStreaming(AnthropicRequests.Build(request), cancellationToken).GetAsyncEnumerator(cancellationToken);
        var blocks = new Dictionary<long, Block>();
        var usage = ModelUsage.None;
        var stop = ModelStopReason.Other;
        try
        {
            while (true)
            {
                RawMessageStreamEvent item;
                try
                {
                    if (!await stream.MoveNextAsync())
                        yield break;
                    item = stream.Current;
                }
                catch (Exception ex) when (Translate(ex, wait, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                if (item.TryPickStart(out var start))
                {
                    usage = Usage(start.Message.Usage);
                    yield return new ModelMessageStarted(start.Message.ID, start.Message.Model.Raw(), usage);
                }
                else if (item.TryPickContentBlockStart(out var begin))
                {
                    blocks[begin.Index] = Block.Start(begin.ContentBlock);
                }
                else if (item.TryPickContentBlockDelta(out var delta) && blocks.TryGetValue(delta.Index, out var open))
                {
                    if (open.Append((int)delta.Index, delta.Delta) is { } shown)
                        yield return shown;
                }
                else if (item.TryPickContentBlockStop(out var end) && blocks.Remove(end.Index, out var done) && done.Complete() is { } part)
                {
                    yield return new ModelBlockCompleted((int)end.Index, part);
                }
                else if (item.TryPickDelta(out var messageDelta))
                {
                    stop = Stop(messageDelta.Delta.StopReason);
                    var final = messageDelta.Usage;
                    usage = new ModelUsage(final.InputTokens ?? usage.InputTokens, final.OutputTokens,
                        final.CacheReadInputTokens ?? usage.CacheReadTokens, final.CacheCreationInputTokens ?? usage.CacheWriteTokens);
                }
                else if (item.TryPickStop(out _))
                {
                    yield return new ModelMessageCompleted(stop, usage);
                }
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
        if (value is null)
            return new ModelReadiness(false, false, false, $"no API key: set {AnthropicOptions.Section}:ApiKey or the vault secret {options.ApiKeySecret}");
        try
        {
            var client = await ClientAsync(cancellationToken);
            var listed = new List<string>();
            var page = await client.Models.List(new ModelListParams { Limit = 1000 }, cancellationToken);
            listed.AddRange(page.Items.Select(m => m.ID));
            var found = listed.Contains(model, StringComparer.Ordinal);
            return found
                ? new ModelReadiness(true, true, true, $"key from {source}; {options.BaseUrl} answers; model {model} is listed")
                : new ModelReadiness(true, true, false, $"key from {source}; {options.BaseUrl} answers, but does not list the model {model} (it lists {string.Join(", ", listed.Take(8))}{(listed.Count > 8 ? ", …" : "")})");
        }
        catch (Exception ex) when (Translate(ex, null, cancellationToken) is { } failure)
        {
            var reachable = failure is ModelRequestException;
            return new ModelReadiness(true, reachable, false, $"key from {source}; {options.BaseUrl} {(reachable ? "refused the check" : "is not reachable")}: {failure.Message}");
        }
    }

    /// <summary>One library client per key, made again when the key changes (the vault's secret was replaced).</summary>
    private async Task<AnthropicClient> ClientAsync(CancellationToken cancellationToken)
    {
        var (value, _) = await key.ResolveAsync(cancellationToken);
        if (value is null)
            throw new ModelRequestException($"No Anthropic API key: set {AnthropicOptions.Section}:ApiKey or the vault secret {options.ApiKeySecret}.", null);
        lock (_gate)
        {
            if (_client is { } current && current.Key == value)
                return current.Client;
            var client = new AnthropicClient(new ClientOptions
            {
                ApiKey = value,
                BaseUrl = options.BaseUrl.TrimEnd('/'),
                HttpClient = http,
                Handlers = [new RetryAfterCapture(time)],
                MaxRetries = 0,
                Timeout = options.RequestTimeout,
            });
            _client = (value, client);
            return client;
        }
    }

    /// <summary>The loop's error for a library failure; null for what is not one (our own cancellation).</summary>
    private static ModelException? Translate(Exception ex, RetryAfterCapture.Box? wait, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;
        return ex switch
        {
            ModelException model => model,
            AnthropicApiException api when (int)api.StatusCode is 429 or 529 || Kind(api) is RateLimit or Overloaded =>
                new ModelRateLimitedException(ApiMessage(api), wait?.RetryAfter, Kind(api) == Overloaded || (int)api.StatusCode == 529, ex),
            AnthropicApiException api when (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.RequestTimeout =>
                new ModelUnavailableException(ApiMessage(api), (int)api.StatusCode, ex),
            AnthropicApiException api => new ModelRequestException(ApiMessage(api), (int)api.StatusCode,
                api.StatusCode == HttpStatusCode.BadRequest && ApiMessage(api).Contains("prompt is too long", StringComparison.OrdinalIgnoreCase), ex),
            AnthropicSseException sse when Kind(sse) is RateLimit or Overloaded =>
                new ModelRateLimitedException($"The API stopped the answer: {sse.ApiMessage ?? sse.Message}", null, Kind(sse) == Overloaded, ex),
            AnthropicSseException sse => new ModelUnavailableException($"The API stopped the answer: {sse.ApiMessage ?? sse.Message}", null, ex),
            AnthropicException or HttpRequestException or IOException or OperationCanceledException or JsonException =>
                new ModelUnavailableException($"The Anthropic API could not be reached: {ex.Message}", null, ex),
            _ => null,
        };
    }

    private const string RateLimit = "rate_limit_error", Overloaded = "overloaded_error";

    /// <summary>The API's error type (<c>rate_limit_error</c>, <c>overloaded_error</c>, ...), or null.</summary>
    private static string? Kind(AnthropicServiceException ex)
    {
        try
        {
            return ex.Type?.Raw();
        }
        catch (Exception problem) when (problem is AnthropicException or InvalidOperationException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The API's own words for a failure, with its status.</summary>
    private static string ApiMessage(AnthropicApiException api) =>
        $"{api.ApiMessage ?? api.ResponseBody} (API status {(int)api.StatusCode})";

    private static ModelUsage Usage(Usage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadInputTokens ?? 0, usage.CacheCreationInputTokens ?? 0);

    private static ModelStopReason Stop(ApiEnum<string, StopReason>? reason)
    {
        if (reason is null)
            return ModelStopReason.Other;
        return reason.Raw() switch
        {
            "end_turn" => ModelStopReason.EndTurn,
            "tool_use" => ModelStopReason.ToolUse,
            "max_tokens" => ModelStopReason.MaxTokens,
            "stop_sequence" => ModelStopReason.StopSequence,
            "refusal" => ModelStopReason.Refusal,
            "model_context_window_exceeded" => ModelStopReason.ContextWindowExceeded,
            _ => ModelStopReason.Other,
        };
    }

    /// <summary>A content block as it streams in.</summary>
    private sealed class Block
    {
        private readonly StringBuilder _text = new();
        private string? _signature;
        private string _kind = "other";
        private string _id = "";
        private string _name = "";

        public static Block Start(RawContentBlockStartEventContentBlock start)
        {
            var block = new Block();
            if (start.TryPickText(out var text))
            {
                block._kind = "text";
                block._text.Append(text.Text);
            }
            else if (start.TryPickThinking(out var thinking))
            {
                block._kind = "thinking";
                block._text.Append(thinking.Thinking);
                block._signature = thinking.Signature;
            }
            else if (start.TryPickRedactedThinking(out var redacted))
            {
                block._kind = "redacted";
                block._signature = redacted.Data;
            }
            else if (start.TryPickToolUse(out var use))
            {
                block._kind = "tool_use";
                block._id = use.ID;
                block._name = use.Name;
            }
            return block;
        }

        /// <summary>Adds a delta; returns what a watcher may see of it (text and thinking), else null.</summary>
        public ModelStreamEvent? Append(int index, RawContentBlockDelta delta)
        {
            if (delta.TryPickText(out var text))
            {
                _text.Append(text.Text);
                return new ModelTextDelta(index, text.Text);
            }
            if (delta.TryPickThinking(out var thinking))
            {
                _text.Append(thinking.Thinking);
                return new ModelThinkingDelta(index, thinking.Thinking);
            }
            if (delta.TryPickInputJson(out var json))
                _text.Append(json.PartialJson);
            else if (delta.TryPickSignature(out var signature))
                _signature = signature.Signature;
            return null;
        }

        public ChatPart? Complete() => _kind switch
        {
            "text" => new TextPart(_text.ToString()),
            "thinking" => new ThinkingPart(_text.ToString(), _signature),
            "redacted" => new ThinkingPart("", _signature, Redacted: true),
            "tool_use" => new ToolUsePart(_id, _name, Input(_text.ToString())),
            _ => null,
        };

        private static JsonElement Input(string json)
        {
            if (string.IsNullOrWhiteSpace(json))
                return JsonDocument.Parse("{}").RootElement;
            try
            {
                var parsed = JsonDocument.Parse(json).RootElement;
                return parsed.ValueKind == JsonValueKind.Object ? parsed : JsonDocument.Parse("{}").RootElement;
            }
            catch (JsonException)
            {
                // Cut off mid-input (the output limit): the tool will say what is missing.
                return JsonDocument.Parse("{}").RootElement;
            }
        }
    }
}
