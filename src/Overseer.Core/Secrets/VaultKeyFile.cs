using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace Overseer.Core.Secrets;

/// <summary>Reads and writes the key file: base64 text, owner-only permissions, replaced atomically.</summary>
internal static class VaultKeyFile
{
    // Read or write by group/others leaks or lets someone swap the key; execute bits are harmless.
    private const UnixFileMode TooOpen = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static VaultKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
            return Load(path);

        var key = VaultKey.Generate();
        // Another server process may create the file at the same moment; whoever loses uses the winner's key.
        return Write(key, path, overwrite: false) ? key : Load(path);
    }

    public static VaultKey Load(string path)
    {
        if (!OperatingSystem.IsWindows())
            EnsurePrivate(path);

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultKeyException($"Cannot read vault key file {path}: {e.Message}", e);
        }

        return VaultKey.FromBase64(text, $"vault key file {path}");
    }

    /// <summary>Writes via a 0600 temp file and a rename, so a crash never leaves a half-written key. False if the file exists and overwrite is off.</summary>
    public static bool Write(VaultKey key, string path, bool overwrite)
    {
        var fullPath = Path.GetFullPath(path);
        var temp = $"{fullPath}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ToBase64());
                writer.Write('\n');
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, fullPath, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(fullPath))
            {
                return false;
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultKeyException($"Cannot write vault key file {fullPath}: {e.Message}", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void EnsurePrivate(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & TooOpen) != 0)
        {
            throw new VaultKeyException(
                $"Vault key file {path} is accessible by group or others (mode {Convert.ToString((int)mode & 0x1FF, 8)}); " +
                $"refusing to use it. Run: chmod 600 {path}");
        }
    }
}
