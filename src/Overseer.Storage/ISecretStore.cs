namespace Overseer.Storage;

/// <summary>Encrypted secret values, kept apart from the event log (which only learns names).</summary>
public interface ISecretStore
{
    Task<IReadOnlyList<StoredSecret>> ListAsync(CancellationToken cancellationToken = default);
    Task UpsertAsync(StoredSecret secret, CancellationToken cancellationToken = default);
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary><paramref name="Projects"/>: the project ids that may see it; null means every project.</summary>
public sealed record StoredSecret(string Name, string Envelope, IReadOnlyList<string>? Projects, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
