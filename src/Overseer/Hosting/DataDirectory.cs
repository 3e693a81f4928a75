namespace Overseer.Hosting;

/// <summary>
/// Where Overseer keeps its database, token and keys: private to the user. Created 0700; found
/// open to group or others it is made 0700 again (and its token and key files 0600, and the
/// dashboard's key ring 0700 with files 0600), and when
/// that is not possible (it belongs to someone else) the server does not start.
/// </summary>
public sealed class DataDirectory
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly List<PermissionFix> _fixes = [];

    public DataDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }
        if (!Directory.Exists(Path))
            Directory.CreateDirectory(Path, OwnerOnlyDirectory);
        MakePrivate(Path, OwnerOnlyDirectory);
        foreach (var name in new[] { AuthFiles.AdminToken, AuthFiles.VaultKey })
        {
            var file = System.IO.Path.Combine(Path, name);
            if (File.Exists(file))
                MakePrivate(file, OwnerOnlyFile);
        }
        // The dashboard's key ring, as an older version left it (files 0644 in a 0755 directory).
        var keys = System.IO.Path.Combine(Path, PrivateKeyRing.DirectoryName);
        if (Directory.Exists(keys))
        {
            MakePrivate(keys, OwnerOnlyDirectory);
            foreach (var file in Directory.EnumerateFiles(keys, "*.xml"))
                MakePrivate(file, OwnerOnlyFile);
        }
    }

    public string Path { get; }

    /// <summary>What start-up had to make private, for the log once logging exists.</summary>
    internal IReadOnlyList<PermissionFix> Fixes => _fixes;

    public static string Default => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".overseer");

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void MakePrivate(string path, UnixFileMode wanted)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) == 0)
            return;
        try
        {
            File.SetUnixFileMode(path, wanted);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new DataDirectoryException(
                $"{path} is open to group or others (mode {Octal(mode)}) and cannot be made private: {ex.Message} " +
                $"It must belong to the user running Overseer. Fix it with: chmod {Octal(wanted)} {path} (as its owner), or use another --data directory.", ex);
        }
        _fixes.Add(new PermissionFix(path, Octal(mode), Octal(wanted)));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}

/// <summary>A file or directory start-up made private: its path and its mode before and after.</summary>
internal sealed record PermissionFix(string Path, string Was, string Now);
