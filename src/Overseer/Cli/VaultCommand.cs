using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Overseer.Core.Secrets;
using Overseer.Storage;
using Overseer.Storage.Sqlite;

namespace Overseer.Cli;

/// <summary>
/// <c>overseer vault rotate-key</c>: re-encrypts every secret under a new key and replaces
/// <c>vault.key</c>. Run it with the server stopped (it opens the database itself).
/// </summary>
public static class VaultCommand
{
    public static async Task<int> RotateKeyAsync(string dataDir, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(VaultKey.EnvironmentVariable) is { Length: > 0 })
        {
            await error.WriteLineAsync($"overseer: the vault key comes from {VaultKey.EnvironmentVariable}; rotate it there (re-encrypt with a new value) rather than in {VaultKey.FileName}.");
            return 2;
        }
        var databasePath = Path.Combine(dataDir, "overseer.db");
        if (!File.Exists(databasePath))
        {
            await error.WriteLineAsync($"overseer: no Overseer database in {dataDir}.");
            return 1;
        }
        var database = new SqliteDatabase(databasePath);
        // Opening the store runs any pending migrations, so the secrets table is there.
        await using (var store = new SqliteEventStore(database, [], NullLogger<SqliteEventStore>.Instance))
            await store.InitializeAsync(cancellationToken);
        var vault = new SecretVault(new SqliteSecretStore(database), Options.Create(new VaultOptions { KeyDirectory = dataDir }));
        var newKey = VaultKey.Generate();
        var keyPath = Path.Combine(dataDir, VaultKey.FileName);
        // The new key is on disk before any secret depends on it; a crash part-way leaves both
        // keys, and running the command again finishes the job (envelopes name their key).
        var nextPath = keyPath + ".next";
        newKey.WriteTo(nextPath);
        int count;
        try
        {
            count = await vault.RotateAsync(newKey, cancellationToken);
        }
        catch (VaultKeyException ex)
        {
            await error.WriteLineAsync("overseer: " + ex.Message);
            return 1;
        }
        File.Move(nextPath, keyPath, overwrite: true);
        await output.WriteLineAsync($"Re-encrypted {count} secret(s) under the new key {newKey.KeyId}.");
        return 0;
    }
}
