using System.Security.Cryptography;

namespace Overseer.Notifications;

/// <summary>
/// The HMAC key that signs action links: 32 random bytes made on the first start and kept in
/// <c>&lt;data&gt;/notify.key</c> (0600) beside the admin token and the vault key. There is no
/// default: a link signed by another server, or with a guessed key, is refused.
/// </summary>
internal sealed class ActionLinkKey
{
    public const string FileName = "notify.key";

    private ActionLinkKey(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public static ActionLinkKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var stream = new FileStream(path + ".tmp", options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path + ".tmp"))
            {
                // A stale temp file from a crash mid-write: start over below.
                File.Delete(path + ".tmp");
                return LoadOrCreate(dataDirectory);
            }
            File.Move(path + ".tmp", path);
        }
        var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (bytes.Length < 32)
            throw new InvalidOperationException($"{path} holds {bytes.Length} bytes; an action link key needs 32. Delete it to make a new one (links already sent stop working).");
        return new ActionLinkKey(bytes);
    }
}
