namespace Overseer.Core.Sandbox;

/// <summary>
/// A session's private home: kept on the host between processes (so the CLI's own transcript
/// survives for <c>--resume</c>), seen by the agent as <see cref="MountPoint"/>, holding only
/// what the agent needs: copies of the CLI's config, its credentials read-only, and user
/// settings that Overseer writes and the agent cannot change.
/// </summary>
internal sealed record SandboxHome(string HostPath, IReadOnlyList<(string Source, string Target)> ReadOnlyFiles)
{
    public const string MountPoint = "/home/agent";

    /// <summary>The CLI's user settings: empty, so no allow rule, hook or MCP server comes from a file.</summary>
    private const string Settings = "{}\n";

    /// <summary>Lays out the home for <paramref name="sessionId"/> under <paramref name="homesDirectory"/>.</summary>
    public static SandboxHome Prepare(string homesDirectory, string sessionId, string? sourceHome)
    {
        RealDirectory(homesDirectory);
        var home = Path.Combine(homesDirectory, sessionId);
        RealDirectory(home);
        var claude = Path.Combine(home, ".claude");
        RealDirectory(claude);
        // The agent wrote in this home last time: anything at the paths below may be a link it
        // planted to make these writes land elsewhere on the host, so replace, never write through.
        var settings = Path.Combine(claude, "settings.json");
        Replace(settings);
        File.WriteAllText(settings, Settings);
        var readOnly = new List<(string, string)> { (settings, MountPoint + "/.claude/settings.json") };
        if (sourceHome is { Length: > 0 } && Directory.Exists(sourceHome))
        {
            var config = Path.Combine(home, ".claude.json");
            var sourceConfig = Path.Combine(sourceHome, ".claude.json");
            if (new FileInfo(config).LinkTarget is not null)
                File.Delete(config);
            if (File.Exists(sourceConfig) && !File.Exists(config))
                File.Copy(sourceConfig, config);
            var credentials = Path.Combine(sourceHome, ".claude", ".credentials.json");
            if (File.Exists(credentials))
            {
                // A mount point must exist; the file is bound over it read-only.
                var target = Path.Combine(claude, ".credentials.json");
                Replace(target);
                File.WriteAllText(target, "");
                readOnly.Add((credentials, MountPoint + "/.claude/.credentials.json"));
            }
        }
        return new SandboxHome(home, readOnly);
    }

    private static void RealDirectory(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
            File.Delete(path);
        var info = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
            info.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    }

    private static void Replace(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
