namespace Overseer.Contracts.Api;

public sealed record DependencyDto(
    string Id,
    string SessionId,
    string Type,
    string Name,
    string? Description,
    bool Required,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ProvidedAt,
    string? ProvidedBy);

/// <summary>Exactly one of <paramref name="Value"/> (stored in the vault) or <paramref name="Secret"/> (an existing secret's name).</summary>
public sealed record ProvideDependencyRequest(string? Value, string? Secret);
