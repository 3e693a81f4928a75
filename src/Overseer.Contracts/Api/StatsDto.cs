namespace Overseer.Contracts.Api;

public sealed record StatsDto(IReadOnlyDictionary<string, int> SessionsByStatus, UsageDto Usage, int ActiveSessions, int QueuedSessions);
