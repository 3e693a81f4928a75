namespace Overseer.Core.Agents.Loop;

/// <summary>A model call failed; the subclass says how the loop should take it.</summary>
public abstract class ModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The provider is rate-limiting (429) or overloaded (529): the session waits
/// <paramref name="retryAfter"/> (when the provider said) and then goes on.
/// </summary>
public sealed class ModelRateLimitedException(string message, TimeSpan? retryAfter, bool overloaded, Exception? inner = null) : ModelException(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool Overloaded { get; } = overloaded;
}

/// <summary>The endpoint could not be reached, timed out or failed on its side (5xx): another provider might answer.</summary>
public sealed class ModelUnavailableException(string message, int? status = null, Exception? inner = null) : ModelException(message, inner)
{
    public int? Status { get; } = status;
}

/// <summary>The provider refused the call (4xx: a bad key, an unknown model, a prompt too long).</summary>
public sealed class ModelRequestException(string message, int? status, bool promptTooLong = false, Exception? inner = null) : ModelException(message, inner)
{
    public int? Status { get; } = status;

    /// <summary>The prompt did not fit the model's window: compacting the conversation may cure it.</summary>
    public bool PromptTooLong { get; } = promptTooLong;
}
