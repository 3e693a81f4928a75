using Overseer.Core.Sandbox;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// The files a session's in-process tools may touch: what its sandbox shows an agent, and nothing
/// else of the host. Read-write: the working directory (the project or the session's worktree) and
/// a worktree's git directory; read-only: the paths the sandbox adds read-only, and the
/// repository's <c>config</c> and <c>hooks</c> (unless the sandbox lets agents write them). Every
/// path is resolved with each symlink followed before it is checked, and the tool then uses the
/// resolved path, so neither a link nor <c>..</c> leads outside.
/// </summary>
public sealed class FileScope
{
    private readonly List<string> _writable = [];
    private readonly List<string> _readOnly = [];
    private readonly List<string> _protected = [];

    public FileScope(string workingDirectory, IEnumerable<string>? readOnlyPaths = null, bool gitConfigWritable = false)
    {
        WorkingDirectory = PathResolver.Resolve(workingDirectory);
        _writable.Add(WorkingDirectory);
        if (SandboxPlan.FindGitDirectory(WorkingDirectory) is { } git)
        {
            var resolvedGit = PathResolver.Resolve(git);
            if (!PathResolver.IsWithin(resolvedGit, WorkingDirectory))
                _writable.Add(resolvedGit);
            if (!gitConfigWritable)
            {
                _protected.Add(Path.Combine(resolvedGit, "config"));
                _protected.Add(Path.Combine(resolvedGit, "hooks"));
            }
        }
        foreach (var path in readOnlyPaths ?? [])
        {
            try
            {
                _readOnly.Add(PathResolver.Resolve(path));
            }
            catch (IOException)
            {
                // A looping link names nothing an agent could read.
            }
        }
    }

    /// <summary>The session's working directory, resolved.</summary>
    public string WorkingDirectory { get; }

    /// <summary>
    /// The resolved path of <paramref name="raw"/> (relative to the working directory) when the
    /// session may read it, or — with <paramref name="write"/> — change it.
    /// </summary>
    /// <exception cref="ToolInputException">The path lies outside what the session may touch.</exception>
    public string Resolve(string raw, bool write)
    {
        if (string.IsNullOrWhiteSpace(raw))
            throw new ToolInputException("The path is empty.");
        if (raw.Contains('\0', StringComparison.Ordinal))
            throw new ToolInputException("The path holds a NUL character.");
        string resolved;
        try
        {
            resolved = PathResolver.Resolve(Path.IsPathRooted(raw) ? raw : Path.Combine(WorkingDirectory, raw));
        }
        catch (IOException ex)
        {
            throw new ToolInputException($"{raw}: {ex.Message}");
        }
        if (_writable.Any(root => PathResolver.IsWithin(resolved, root)))
        {
            if (write && _protected.Any(p => PathResolver.IsWithin(resolved, p)))
                throw new ToolInputException($"{raw} is read-only in this session: the repository's config and hooks run outside the sandbox.");
            return resolved;
        }
        if (!write && _readOnly.Any(root => PathResolver.IsWithin(resolved, root)))
            return resolved;
        throw new ToolInputException(write && _readOnly.Any(root => PathResolver.IsWithin(resolved, root))
            ? $"{raw} is read-only in this session."
            : $"{raw} is outside this session's working directory ({WorkingDirectory}); the session's tools reach only its own files.");
    }
}
