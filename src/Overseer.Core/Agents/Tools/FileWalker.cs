using System.IO.Enumeration;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// The files under a directory, for Glob and Grep: never into a symlinked directory (it may lead
/// out of the session's files) nor into <c>.git</c>, with each file's path relative to the root.
/// </summary>
internal static class FileWalker
{
    public static IEnumerable<(string Path, string Relative, DateTime Modified)> Files(string root, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            var entries = new FileSystemEnumerable<(string Path, bool Directory, bool Link, DateTime Modified)>(directory,
                (ref FileSystemEntry e) => (e.ToFullPath(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0, e.LastWriteTimeUtc.UtcDateTime), options);
            List<(string Path, bool Directory, bool Link, DateTime Modified)> list;
            try
            {
                list = [.. entries];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in list)
            {
                if (entry.Directory)
                {
                    if (!entry.Link && Path.GetFileName(entry.Path) != ".git")
                        pending.Push(entry.Path);
                    continue;
                }
                yield return (entry.Path, Path.GetRelativePath(root, entry.Path).Replace(Path.DirectorySeparatorChar, '/'), entry.Modified);
            }
        }
    }
}
