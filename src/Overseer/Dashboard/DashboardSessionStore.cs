using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Overseer.Hosting;

namespace Overseer.Dashboard;

/// <summary>
/// Dashboard sign-ins kept on the server, one file each under <c>&lt;data&gt;/dashboard-sessions</c>:
/// the cookie carries only a random key, so signing out deletes the session for good and a copy
/// of the old cookie, replayed later or after a restart, opens nothing.
/// </summary>
internal sealed class DashboardSessionStore : ITicketStore
{
    public const string DirectoryName = "dashboard-sessions";

    private readonly string _directory;
    private readonly TimeProvider _time;
    // SecureFile writes through one temp name per file; writes of the same session must not overlap.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public DashboardSessionStore(DataDirectory data, TimeProvider time)
    {
        _directory = Path.Combine(data.Path, DirectoryName);
        _time = time;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(_directory);
        else
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        RemoveExpired();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await RenewAsync(key, ticket);
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var text = Convert.ToBase64String(TicketSerializer.Default.Serialize(ticket));
        await _writeLock.WaitAsync();
        try
        {
            await SecureFile.WriteAllTextAsync(FileOf(key), text, CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var path = FileOf(key);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // signed out, expired, or never issued here
        }
        var ticket = Read(text);
        if (ticket is null || IsExpired(ticket))
        {
            File.Delete(path);
            return null;
        }
        return ticket;
    }

    public Task RemoveAsync(string key)
    {
        File.Delete(FileOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Sessions nobody signed out of still end: their files go once they expire.</summary>
    private void RemoveExpired()
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "*.session"))
        {
            try
            {
                if (Read(File.ReadAllText(file)) is not { } ticket || IsExpired(ticket))
                    File.Delete(file);
            }
            catch (IOException)
            {
                // Another request got there first: it does not stop a sign-in.
            }
        }
    }

    // A damaged file is no session: its owner signs in again instead of getting a 500.
    private static AuthenticationTicket? Read(string text)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(Convert.FromBase64String(text));
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or InvalidOperationException)
        {
            return null;
        }
    }

    private bool IsExpired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= _time.GetUtcNow();

    // The key is never a path: its hash names the file, so no key can point outside the directory.
    private string FileOf(string key) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))) + ".session");
}
