using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Cli;

namespace Overseer.Cli.Client;

/// <summary>
/// Where the client finds its server and token: <c>OVERSEER_URL</c> / <c>OVERSEER_TOKEN</c> win over
/// <c>$XDG_CONFIG_HOME/overseer/config.json</c> (else <c>~/.config/overseer/config.json</c>).
/// </summary>
public static class ClientConfigStore
{
    public const string UrlVariable = "OVERSEER_URL";
    public const string TokenVariable = "OVERSEER_TOKEN";

    public static string Directory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(root, "overseer");
        }
    }

    public static string FilePath => Path.Combine(Directory, "config.json");

    /// <summary>The stored config with the environment applied; null when neither names a server and a token.</summary>
    public static ClientConfig? Load()
    {
        var stored = ReadFile();
        var url = Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } u ? u : stored?.Url;
        var token = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } t ? t : stored?.Token;
        return url is null || token is null ? null : new ClientConfig(url, token);
    }

    public static ClientConfig Require() =>
        Load() ?? throw new CliException(ExitCodes.Auth, $"not logged in: run 'overseer login <url>' (or set {UrlVariable} and {TokenVariable})");

    /// <summary>Writes the file atomically (temp file, then rename), readable only by the user.</summary>
    public static async Task SaveAsync(ClientConfig config, CancellationToken cancellationToken)
    {
        var dir = Directory;
        System.IO.Directory.CreateDirectory(dir);
        // The directory may predate us with a looser mode; the token must not be listable by others.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Hosting.SecureFile.WriteAllTextAsync(FilePath, JsonSerializer.Serialize(config, OverseerJson.Default.ClientConfig), cancellationToken);
    }

    private static ClientConfig? ReadFile()
    {
        var path = FilePath;
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), OverseerJson.Default.ClientConfig);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Auth, $"{path} is not valid JSON ({ex.Message}); run 'overseer login <url>' again");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Auth, $"cannot read {path}: {ex.Message}");
        }
    }
}
