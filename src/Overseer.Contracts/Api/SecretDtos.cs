namespace Overseer.Contracts.Api;

/// <summary><c>projects</c>: the project ids that may see the secret; omitted means every project.</summary>
public sealed record PutSecretRequest(string? Value, IReadOnlyList<string>? Projects);

/// <summary>What the API tells of a secret: never its value.</summary>
public sealed record SecretDto(string Name, IReadOnlyList<string>? Projects, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
