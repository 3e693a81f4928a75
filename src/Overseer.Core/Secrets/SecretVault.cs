using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents;
using Overseer.Storage;

namespace Overseer.Core.Secrets;

/// <summary>
/// Named secrets, encrypted at rest (AES-256-GCM under the vault key), handed to agents as
/// environment variables of the projects they are granted to, and redacted from every event.
/// Values leave this type only towards an agent process; the API sees names and dates.
/// </summary>
public sealed class SecretVault(ISecretStore store, IOptions<VaultOptions> options) : IAgentEnvironment
{
    public const int MaxValueChars = 64 * 1024;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private VaultKey? _key;
    private IReadOnlyList<OpenSecret>? _secrets;
    private volatile SecretRedactor _redactor = SecretRedactor.Empty;

    /// <summary>The redactor for every secret currently stored (all projects).</summary>
    public SecretRedactor Redactor => _redactor;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await EnsureLoadedAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync(cancellationToken);
        return stored.Select(s => new SecretInfo(s.Name, s.Projects, s.CreatedAt, s.UpdatedAt)).ToList();
    }

    public async Task<SecretInfo> SetAsync(string name, string value, IReadOnlyList<string>? projects, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (SecretNames.Validate(name) is { } refused)
                throw new ArgumentException(refused.Message, nameof(name));
            await EnsureLoadedAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var existing = (await store.ListAsync(cancellationToken)).FirstOrDefault(s => s.Name == name);
            await store.UpsertAsync(new StoredSecret(name, SecretCipher.Encrypt(_key!, name, value), projects, existing?.CreatedAt ?? now, now), cancellationToken);
            Replace([.. _secrets!.Where(s => s.Name != name), new OpenSecret(name, value, projects)]);
            return new SecretInfo(name, projects, existing?.CreatedAt ?? now, now);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Stores a secret only Overseer itself uses (a trigger's signing secret): its name is in the
    /// reserved <c>OVERSEER_</c> family, so it never reaches an agent's environment and the secrets
    /// API cannot overwrite it, and it is granted to no project. Redacted like every other secret.
    /// </summary>
    public async Task SetOwnAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (!name.StartsWith(OwnPrefix, StringComparison.Ordinal) || SecretNames.Validate(name) is not { Code: Contracts.Api.ErrorCodes.SecretNameReserved })
            throw new ArgumentException($"'{name}' is not a name for Overseer's own secrets ({OwnPrefix}…, letters, digits and _).", nameof(name));
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await EnsureLoadedAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var existing = (await store.ListAsync(cancellationToken)).FirstOrDefault(s => s.Name == name);
            await store.UpsertAsync(new StoredSecret(name, SecretCipher.Encrypt(_key!, name, value), [], existing?.CreatedAt ?? now, now), cancellationToken);
            Replace([.. _secrets!.Where(s => s.Name != name), new OpenSecret(name, value, [])]);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The prefix of the names <see cref="SetOwnAsync"/> takes.</summary>
    public const string OwnPrefix = "OVERSEER_";

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await EnsureLoadedAsync(cancellationToken);
            if (!await store.DeleteAsync(name, cancellationToken))
                return false;
            // The old value stays redacted: events may still quote it.
            Replace(_secrets!.Select(s => s.Name == name ? s with { Deleted = true } : s).ToList());
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ForSessionAsync(string sessionId, string projectId, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return _secrets!
            // A name stored before it was reserved still never reaches an agent's environment.
            .Where(s => !s.Deleted && (s.Projects is null || s.Projects.Contains(projectId)) && !SecretNames.IsReserved(s.Name))
            .ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// A secret's value for Overseer's own use: copying it under another name, a token Overseer
    /// calls another service with, a webhook's signing secret. Never for an API answer or a log line.
    /// </summary>
    public async Task<string?> GetValueAsync(string name, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return _secrets!.FirstOrDefault(s => s.Name == name && !s.Deleted)?.Value;
    }

    /// <summary>Re-encrypts every secret under <paramref name="newKey"/>; the caller then keeps the new key.</summary>
    public async Task<int> RotateAsync(VaultKey newKey, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await EnsureLoadedAsync(cancellationToken);
            var stored = await store.ListAsync(cancellationToken);
            foreach (var secret in stored)
                await store.UpsertAsync(secret with { Envelope = SecretCipher.Reencrypt(_key!, newKey, secret.Name, secret.Envelope) }, cancellationToken);
            _key = newKey;
            return stored.Count;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_secrets is not null)
            return;
        _key ??= VaultKey.LoadOrCreate(options.Value.KeyDirectory ?? throw new InvalidOperationException("Vault:KeyDirectory is not set."));
        var stored = await store.ListAsync(cancellationToken);
        Replace(stored.Select(s => new OpenSecret(s.Name, SecretCipher.Decrypt(_key, s.Name, s.Envelope), s.Projects)).ToList());
    }

    private void Replace(IReadOnlyList<OpenSecret> secrets)
    {
        _secrets = secrets;
        _redactor = new SecretRedactor(secrets.Select(s => KeyValuePair.Create(s.Name, s.Value)));
    }

    private sealed record OpenSecret(string Name, string Value, IReadOnlyList<string>? Projects, bool Deleted = false);
}

public sealed record SecretInfo(string Name, IReadOnlyList<string>? Projects, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed class VaultOptions
{
    public const string Section = "Vault";

    /// <summary>Where <c>vault.key</c> lives (the data directory); set by the host.</summary>
    public string? KeyDirectory { get; set; }
}
