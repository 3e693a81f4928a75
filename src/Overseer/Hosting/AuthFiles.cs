namespace Overseer.Hosting;

/// <summary>Names of the files the server keeps in its data directory.</summary>
public static class AuthFiles
{
    /// <summary>The admin API token, readable only by its owner.</summary>
    public const string AdminToken = "admin.token";

    /// <summary>The vault's key, readable only by its owner.</summary>
    public const string VaultKey = Core.Secrets.VaultKey.FileName;
}
