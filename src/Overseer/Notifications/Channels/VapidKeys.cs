using System.Buffers.Text;
using System.Security.Cryptography;

namespace Overseer.Notifications.Channels;

/// <summary>
/// The server's VAPID key pair (P-256) that identifies it to push services: made on the first
/// start and kept in <c>&lt;data&gt;/webpush.key</c> (0600), public key on the first line and
/// private key on the second, both base64url. Browsers subscribe with the public key; replacing
/// the file invalidates every subscription.
/// </summary>
internal sealed class VapidKeys
{
    public const string FileName = "webpush.key";

    private VapidKeys(string publicKey, string privateKey)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The uncompressed point (65 bytes), base64url: the browser's applicationServerKey.</summary>
    public string PublicKey { get; }

    public string PrivateKey { get; }

    public static VapidKeys LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var point = new byte[65];
            point[0] = 0x04;
            parameters.Q.X!.CopyTo(point, 1);
            parameters.Q.Y!.CopyTo(point, 33);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path + ".tmp", options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(Base64Url.EncodeToString(point) + "\n" + Base64Url.EncodeToString(parameters.D!) + "\n");
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(path + ".tmp", path, overwrite: false);
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Length == 0 || lines[1].Length == 0)
            throw new InvalidOperationException($"{path} must hold the VAPID public key and private key on two lines; delete it to make new ones (browsers then subscribe again).");
        return new VapidKeys(lines[0].Trim(), lines[1].Trim());
    }
}
