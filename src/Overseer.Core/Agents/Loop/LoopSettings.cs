namespace Overseer.Core.Agents.Loop;

/// <summary>How one session's loop talks to its model; the runtime builds it from its options.</summary>
/// <param name="Runtime">The runtime's name (anthropic, openai, ...), for messages.</param>
/// <param name="Version">What <c>agent.started</c> reports as the agent's version (the client library).</param>
/// <param name="ContextWindow">The model's context window in tokens.</param>
/// <param name="CompactAt">Compact once a prompt would fill this fraction of the window.</param>
/// <param name="KeepRecent">At a compaction, keep about this fraction of the window of the latest conversation word for word.</param>
/// <param name="MaxContinuations">Times in a row the loop asks a model cut off at its output limit to go on.</param>
/// <param name="Price">Dollars per million tokens of the model; null when the price table has none (cost 0).</param>
/// <param name="PlanMode">Start in plan mode: no file changes or commands until a plan is approved.</param>
/// <param name="Instructions">Added to the system prompt (settings).</param>
/// <param name="Prices">Prices of other models the loop may call (the router's targets), by model name.</param>
public sealed record LoopSettings(
    string Runtime,
    string Version,
    string Model,
    int MaxTokens,
    int ThinkingBudgetTokens,
    int ContextWindow,
    double CompactAt,
    double KeepRecent,
    int SummaryMaxTokens,
    int MaxContinuations,
    ModelPrice? Price,
    bool PlanMode,
    string? Instructions,
    IReadOnlyDictionary<string, ModelPrice>? Prices = null)
{
    /// <summary>The price of the model that answered a call: the router's targets by name, else this runtime's model's.</summary>
    public ModelPrice? PriceFor(string model) => Prices is not null && Prices.TryGetValue(model, out var price) ? price : Price;
}

/// <summary>Dollars per million tokens, by kind of token.</summary>
public sealed record ModelPrice(decimal InputPerMTok, decimal OutputPerMTok, decimal CacheReadPerMTok, decimal CacheWritePerMTok)
{
    public decimal Cost(ModelUsage usage) =>
        (usage.InputTokens * InputPerMTok + usage.OutputTokens * OutputPerMTok
         + usage.CacheReadTokens * CacheReadPerMTok + usage.CacheWriteTokens * CacheWritePerMTok) / 1_000_000m;
}
