namespace Overseer.Contracts.Api;

public sealed record ReviewDto(
    string Id,
    string SessionId,
    string Kind,
    string? Plan,
    int? Phase,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    string? Feedback,
    string? DecidedBy,
    IReadOnlyList<Events.ChangedFileData>? Files = null,
    string? Diff = null);

public sealed record RequestChangesRequest(string? Feedback);
