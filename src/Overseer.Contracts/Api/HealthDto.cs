namespace Overseer.Contracts.Api;

public sealed record HealthDto(string Status, StoreHealthDto Store, IReadOnlyDictionary<string, string> Runtimes);

public sealed record StoreHealthDto(string Status, string Provider, long LastSeq, string? Error);
