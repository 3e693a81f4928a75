using System.Text;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it, keeping
/// its permissions. A rename also never writes through a hard link to a file outside the project.
/// </summary>
internal static class FileWriter
{
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.overseer-{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
            if (!OperatingSystem.IsWindows() && File.Exists(path))
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>The text of a file, with its line endings as they are.</summary>
    public static Task<string> ReadAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
}
