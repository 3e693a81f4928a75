namespace Overseer.Core.Agents.Loop;

/// <summary>
/// A runtime on Overseer's own agent loop (anthropic, openai): what the <c>router</c> runtime needs
/// to send one turn of its conversation to it.
/// </summary>
internal interface ILoopRuntime : IAgentRuntime
{
    /// <summary>The client, model, price and window for <paramref name="model"/> (null: the runtime's default model).</summary>
    ModelTarget Target(string? model);

    /// <summary>Starts the first readiness check (server start-up).</summary>
    void BeginReadinessCheck();
}

/// <summary>Where a model call goes: a provider's client and one of its models, with that model's price and window.</summary>
internal sealed record ModelTarget(IModelClient Client, string Model, ModelPrice? Price, int ContextWindow, int MaxTokens);
