namespace Overseer.Storage;

/// <summary>API tokens, kept only as SHA-256 hashes.</summary>
public interface IApiTokenStore
{
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
    Task AddAsync(ApiTokenRecord token, CancellationToken cancellationToken = default);
    Task<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);
}

public sealed record ApiTokenRecord(string Id, string Name, string Role, string Hash, DateTimeOffset CreatedAt);
