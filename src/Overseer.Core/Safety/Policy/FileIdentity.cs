using System.Runtime.InteropServices;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// A file's device, inode and link count, which .NET does not expose. A hard link is the same inode under
/// another name, so only these tell that a path inside the project is really a file in the data directory.
/// Read with statx(2), whose layout is the same on every Linux architecture; elsewhere it is unknown (null).
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, uint Links)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;

    /// <summary>The identity of <paramref name="path"/> (of the link itself when <paramref name="followLinks"/> is false), or null when it does not exist or cannot be read.</summary>
    public static FileIdentity? Of(string path, bool followLinks = true)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, buffer) != 0)
                return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        var links = BitConverter.ToUInt32(buffer, 16);
        var inode = BitConverter.ToUInt64(buffer, 32);
        var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return new FileIdentity(device, inode, links);
    }

    public bool SameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
