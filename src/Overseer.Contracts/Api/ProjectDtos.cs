namespace Overseer.Contracts.Api;

public sealed record CreateProjectRequest(string? Path, string? Name);

public sealed record ProjectDto(string Id, string Name, string Path, DateTimeOffset CreatedAt);
