namespace Overseer.Core.Agents.Loop;

/// <summary>
/// The seam between Overseer's agent loop and a model provider (the Anthropic Messages API, an
/// OpenAI-compatible endpoint, a router over several). A client streams one model call as
/// <see cref="ModelStreamEvent"/>s and fails it with a <see cref="ModelException"/>: the loop
/// decides what that means for the session (rate limit → wait, anything else → the turn fails).
/// A client keeps no conversation: everything is in each <see cref="ModelRequest"/>.
/// </summary>
public interface IModelClient
{
    /// <summary>The provider's name, for events and messages (anthropic, openai, ...).</summary>
    string Provider { get; }

    /// <summary>
    /// One model call, streamed: <see cref="ModelMessageStarted"/>, deltas and completed blocks in
    /// order, then <see cref="ModelMessageCompleted"/> (usage and why it stopped). Cancelling the
    /// token aborts the call (an interrupt); what arrived before stays the caller's.
    /// </summary>
    /// <exception cref="ModelRateLimitedException">429, or the provider overloaded (529): wait and retry.</exception>
    /// <exception cref="ModelUnavailableException">The endpoint could not be reached or failed (5xx, timeout).</exception>
    /// <exception cref="ModelRequestException">The provider refused the call (4xx): its message says why.</exception>
    IAsyncEnumerable<ModelStreamEvent> StreamAsync(ModelRequest request, CancellationToken cancellationToken);

    /// <summary>Whether calls can work: a key is there, the endpoint answers, the model is one it lists.</summary>
    Task<ModelReadiness> CheckReadinessAsync(string model, CancellationToken cancellationToken);
}
