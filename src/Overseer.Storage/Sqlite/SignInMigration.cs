namespace Overseer.Storage.Sqlite;

/// <summary>
/// What people sign in with besides a password: passkeys (WebAuthn credentials) and accounts at
/// an OpenID provider, each linked by (issuer, subject). Both go when their user goes.
/// </summary>
internal static class SignInMigration
{
    public const string Sql =
        """
        CREATE TABLE passkeys (
            credential_id BLOB PRIMARY KEY,
            user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            public_key    BLOB NOT NULL,
            sign_count    INTEGER NOT NULL,
            name          TEXT NOT NULL,
            created_at    INTEGER NOT NULL,
            last_used_at  INTEGER
        );
        CREATE INDEX passkeys_by_user ON passkeys(user_id);
        CREATE TABLE external_logins (
            issuer       TEXT NOT NULL,
            subject      TEXT NOT NULL,
            user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at   INTEGER NOT NULL,
            last_used_at INTEGER,
            PRIMARY KEY (issuer, subject)
        );
        CREATE INDEX external_logins_by_user ON external_logins(user_id);
        """;
}
