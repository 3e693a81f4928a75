namespace Overseer.Contracts.Api;

public sealed record StatsDto(IReadOnlyDictionary<string, int> SessionsByStatus, UsageDto Usage, int ActiveSessions, int QueuedSessions);

/// <summary>Tokens and cost for one day, model, project or session.</summary>
public sealed record UsageRowDto(string Key, long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd);

public sealed record UsageReportDto(string GroupBy, IReadOnlyList<UsageRowDto> Rows);
