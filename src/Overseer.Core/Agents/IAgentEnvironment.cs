namespace Overseer.Core.Agents;

/// <summary>
/// The session's own environment for its agent (the secrets vault's seam): added on top of the
/// configured environment each time the agent process starts.
/// </summary>
public interface IAgentEnvironment
{
    Task<IReadOnlyDictionary<string, string>> ForSessionAsync(string sessionId, string projectId, CancellationToken cancellationToken);
}

/// <summary>No per-session variables until a vault provides them.</summary>
public sealed class NoAgentEnvironment : IAgentEnvironment
{
    private static readonly Task<IReadOnlyDictionary<string, string>> Empty = Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    public Task<IReadOnlyDictionary<string, string>> ForSessionAsync(string sessionId, string projectId, CancellationToken cancellationToken) => Empty;
}
