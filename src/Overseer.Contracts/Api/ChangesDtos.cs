namespace Overseer.Contracts.Api;

/// <summary>
/// What a worktree session changed: each file with its status and line counts, and the unified
/// diff from the session's base commit to its work. <see cref="DiffTruncated"/> says the diff was
/// cut at <see cref="DiffLimit"/> characters (Workspaces:MaxDiffChars); the file list is whole
/// up to <see cref="ChangesLimits.MaxFiles"/> files.
/// </summary>
public sealed record SessionChangesDto(
    string SessionId,
    string Branch,
    string BaseCommit,
    string State,
    IReadOnlyList<ChangedFileDto> Files,
    int FileCount,
    int Additions,
    int Deletions,
    string Diff,
    bool DiffTruncated,
    int DiffLimit);

/// <summary>One changed file; <c>additions</c> and <c>deletions</c> are absent for a binary file.</summary>
public sealed record ChangedFileDto(string Path, string Status, int? Additions, int? Deletions);

public static class ChangesLimits
{
    public const int MaxFiles = 2000;
}
