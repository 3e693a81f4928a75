namespace Overseer.TestKit.Anthropic;

/// <summary>Where the pinned Claude Code CLI lives and how to run it hermetically against <see cref="MockAnthropicServer"/>.</summary>
public static class ClaudeCli
{
    /// <summary>Installs the version pinned in tools/package.json; run from the repository root.</summary>
    public const string InstallCommand = "npm install --prefix tools --no-audit --no-fund --no-package-lock";

    /// <summary>Overrides where the executable is looked for.</summary>
    public const string PathVariable = "OVERSEER_CLAUDE_PATH";

    /// <summary>The arguments of a host-driven session (PROTOCOL.md): JSON lines both ways, permissions asked over stdio.</summary>
    public static IReadOnlyList<string> HostArguments { get; } =
    [
        "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
        "--permission-prompt-tool", "stdio",
    ];

    /// <summary>
    /// $OVERSEER_CLAUDE_PATH if set, else <c>&lt;repo&gt;/tools/node_modules/.bin/claude</c> if installed, else null.
    /// </summary>
    public static string? ExecutablePath
    {
        get
        {
            var configured = System.Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(configured))
                return configured;
            var root = RepositoryRoot;
            if (root is null)
                return null;
            var path = Path.Combine(root, "tools", "node_modules", ".bin", "claude");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>The directory holding Overseer.slnx, found by walking up from the test binaries.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Overseer.slnx")))
                    return dir.FullName;
            }
            return null;
        }
    }

    /// <summary><see cref="ExecutablePath"/>, or an exception telling how to install the CLI: tests fail rather than skip.</summary>
    public static string RequireExecutablePath()
    {
        var path = ExecutablePath;
        if (path is not null && File.Exists(path))
            return path;
        throw new InvalidOperationException(
            $"The Claude Code CLI is not installed{(path is null ? "" : $" ('{path}' does not exist)")}. " +
            $"From the repository root ({RepositoryRoot ?? "the directory holding Overseer.slnx"}) run: " +
            $"{InstallCommand}  (or set {PathVariable} to a claude executable).");
    }

    /// <summary>
    /// Variables for a clean, offline run against the mock. <paramref name="home"/> should be a private
    /// temporary directory per test: the CLI keeps settings, session transcripts (needed by --resume),
    /// plans and shell snapshots under $HOME/.claude and $HOME/.claude.json.
    /// </summary>
    /// <remarks>
    /// Nothing is needed to get past onboarding or the folder-trust dialog: print mode (-p) shows
    /// neither, and it uses ANTHROPIC_API_KEY without the interactive "approve this key" step.
    /// Pair with <see cref="ClaudeProcess"/>, which also drops inherited ANTHROPIC_*/CLAUDE* variables.
    /// </remarks>
    public static IDictionary<string, string> Environment(Uri mockBaseUrl, string home, int maxRetries = 2)
    {
        ArgumentNullException.ThrowIfNull(mockBaseUrl);
        return new Dictionary<string, string>
        {
            // The client appends /v1/messages itself; a trailing slash would double it.
            ["ANTHROPIC_BASE_URL"] = mockBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'),
            ["ANTHROPIC_API_KEY"] = "sk-test",
            // No telemetry, error reporting, session-title calls or DNS look-ups of api.anthropic.com.
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            // Default 10 with exponential backoff: far too slow for a test of exhausted retries.
            ["CLAUDE_CODE_MAX_RETRIES"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HOME"] = home,
            // The binary also consults the XDG directories; keep them inside the private home.
            ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["XDG_STATE_HOME"] = Path.Combine(home, ".local", "state"),
            // A proxy configured on the machine must not swallow loopback traffic.
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["no_proxy"] = "127.0.0.1,localhost",
        };
    }
}
