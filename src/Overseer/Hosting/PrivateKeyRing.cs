using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Overseer.Hosting;

/// <summary>
/// The keys that sign the dashboard's cookies and anti-forgery tokens, in <c>&lt;data&gt;/keys</c>:
/// a 0700 directory of 0600 files, like the admin token and the vault key beside them. Linux has no
/// key store to encrypt them with (no DPAPI, no keychain); their files' modes are what protects
/// them, so the server says that once, as information, instead of warning on every new key.
/// </summary>
internal static class PrivateKeyRing
{
    public const string DirectoryName = "keys";

    public static IServiceCollection AddPrivateKeyRing(this IServiceCollection services, DataDirectory data)
    {
        services.AddDataProtection();
        services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new Repository(Path.Combine(data.Path, DirectoryName));
            o.XmlEncryptor = new FileModeEncryptor();
        });
        return services;
    }

    /// <summary>On the first start (no keys yet), one line saying where the keys go and how they are protected.</summary>
    public static void LogWhereKeysAre(ILogger logger, DataDirectory data)
    {
        var directory = Path.Combine(data.Path, DirectoryName);
        if (!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.xml").Any())
            HostingLog.KeyRingPrivate(logger, directory);
    }

    /// <summary>Key files created 0600 from their first byte, whole or not at all.</summary>
    private sealed class Repository(string directory) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() =>
            Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*.xml").Select(path => XElement.Load(path))] : [];

        public void StoreElement(XElement element, string friendlyName)
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var name = friendlyName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? friendlyName : Guid.NewGuid().ToString("D");
            var path = Path.Combine(directory, name + ".xml");
            var temp = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                element.Save(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
    }

    /// <summary>Stores a key as it is, saying so in the file: its protection is the file's mode.</summary>
    private sealed class FileModeEncryptor : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
            new XElement("unencryptedKey",
                new XComment(" Not encrypted: protected by its file's mode (0600, in a 0700 directory). "),
                new XElement(plaintextElement)),
            typeof(NullXmlDecryptor));
    }
}
