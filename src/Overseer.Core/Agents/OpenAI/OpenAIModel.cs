namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// One model of the endpoint (<c>Runtimes:OpenAI:Models:N</c>): dollars per million tokens (0 for a
/// local model: then the session does not warn of a missing price) and its context window.
/// </summary>
public sealed class OpenAIModel
{
    public string Name { get; set; } = "";

    /// <summary>The window the server runs the model with; null: <see cref="OpenAIOptions.DefaultContextWindow"/>.</summary>
    public int? ContextWindow { get; set; }

    public decimal InputPerMTok { get; set; }

    public decimal OutputPerMTok { get; set; }

    /// <summary>Prompt tokens the server reports as cached (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public decimal CacheReadPerMTok { get; set; }
}
