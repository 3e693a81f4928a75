namespace Overseer.Contracts.Api;

public sealed record CreateProjectRequest(string? Path, string? Name);

/// <summary>A project. <paramref name="OperatorsMayApproveRed"/>: whether operators (not only admins) may approve its RED actions.</summary>
public sealed record ProjectDto(string Id, string Name, string Path, DateTimeOffset CreatedAt, bool OperatorsMayApproveRed = false);

/// <summary><c>PATCH /api/projects/{id}</c>: the project's settings an admin may change; absent fields stay.</summary>
public sealed record UpdateProjectRequest(bool? OperatorsMayApproveRed);
