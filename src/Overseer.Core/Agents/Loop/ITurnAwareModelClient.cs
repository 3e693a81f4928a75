namespace Overseer.Core.Agents.Loop;

/// <summary>
/// A model client that chooses where each turn goes (the router): the loop tells it the turn's
/// message before the turn's first call.
/// </summary>
internal interface ITurnAwareModelClient : IModelClient
{
    ValueTask BeginTurnAsync(string message, CancellationToken cancellationToken);
}
