using Overseer.Hosting;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// On first start, creates the admin token: its hash goes in the database, the token itself to
/// <c>&lt;data&gt;/admin.token</c> (0600) and, once, to the console. There is no default secret.
/// </summary>
public sealed partial class AdminTokenBootstrap(IApiTokenStore tokens, IUserStore users, TimeProvider time, DataDirectory data, IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server, Telemetry.LogFormat format, ILogger<AdminTokenBootstrap> logger) : IHostedService
{
    public const string FileName = AuthFiles.AdminToken;

    /// <summary>The id of the owner created on first start (and by the migration that brought users).</summary>
    public const string FirstOwnerId = "u_admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string? created = null;
        if (!await tokens.AnyAsync(cancellationToken))
        {
            created = ApiTokens.Generate();
            var path = Path.Combine(data.Path, FileName);
            // Write the file first: a token whose hash is stored but that nobody can read is lost.
            await SecureFile.WriteAllTextAsync(path, created + "\n", cancellationToken);
            var now = time.GetUtcNow();
            // The bootstrap token is the first owner's; a database that already has people keeps them.
            var owner = (await users.ListAsync(cancellationToken)).FirstOrDefault(u => u.Role == Roles.Owner);
            if (owner is null)
            {
                owner = new UserRecord(FirstOwnerId, "admin", Roles.Owner, null, now);
                await users.AddAsync(owner, cancellationToken);
            }
            await tokens.AddAsync(new ApiTokenRecord("t_admin", owner.Id, "admin", Roles.Owner, ApiTokens.Hash(created), now), cancellationToken);
        }
        lifetime.ApplicationStarted.Register(() => Announce(created));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce(string? created)
    {
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        if (format.Json)
        {
            // JSON logs go to a shipper, and from there to people the token is not for: only where it is.
            LogListening(string.Join(", ", addresses), data.Path);
            if (created is not null)
                LogAdminTokenCreated(Path.Combine(data.Path, FileName));
            return;
        }
        var console = Console.Out;
        console.WriteLine($"Overseer is listening on {string.Join(", ", addresses)}");
        console.WriteLine($"Data directory: {data.Path}");
        if (created is not null)
        {
            console.WriteLine();
            console.WriteLine("Admin API token (shown only this once; also saved, readable only by you, in");
            console.WriteLine($"  {Path.Combine(data.Path, FileName)}):");
            console.WriteLine($"  {created}");
            console.WriteLine();
        }
        console.Flush();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Overseer is listening on {Addresses}; data directory {DataDirectory}")]
    private partial void LogListening(string addresses, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An admin API token was created; read it from {Path} (readable only by this user)")]
    private partial void LogAdminTokenCreated(string path);
}
