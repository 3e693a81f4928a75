namespace Overseer.Core.Workspaces;

/// <summary>
/// What every git call of Overseer's own runs with. Agents can write anything inside a project,
/// its <c>.git/config</c>, <c>.gitattributes</c> and hooks included, and git runs programs named
/// there (hooks, filters, diff and merge drivers, fsmonitor, editors, pagers, ssh, credential
/// helpers, gpg). Overseer's git must run none of them, and must not hand the server's
/// environment (tokens, the vault key's location) to anything. So the environment is built from
/// nothing, system and global config are off, and command-line config, which wins over the
/// repository's, turns every such setting into nothing or into an inert <c>false</c>.
/// </summary>
internal static class GitSandbox
{
    /// <summary>Where git's <c>HOME</c> points: a path that does not exist and that an unprivileged agent cannot create, so no <c>~/.gitconfig</c>, <c>~/.config/git/*</c> or <c>~/.ssh</c> is read.</summary>
    internal const string Home = "/nonexistent/overseer-git-home";

    /// <summary>Git's spelling of "no file", on every platform it runs on (Git for Windows maps it to NUL).</summary>
    private const string NoFile = "/dev/null";

    /// <summary>A program that does nothing and fails: for settings git reads only if a flag below was forgotten, so such a call fails instead of running the repository's program.</summary>
    private const string Inert = "false";

    /// <summary>Variables a caller may add (a throwaway index, another git directory); nothing else passes.</summary>
    private static readonly HashSet<string> CallerVariables = new(StringComparer.Ordinal)
    {
        "GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    };

    /// <summary>
    /// Settings that name a program or decide whether one runs, whatever the repository says.
    /// Kept in git's own spelling so a reader can look each one up in git-config(1).
    /// </summary>
    internal static readonly IReadOnlyList<KeyValuePair<string, string>> FixedConfig =
    [
        new("core.fsmonitor", "false"),
        new("core.hooksPath", NoFile),             // every hook, .git/hooks included: /dev/null/<hook> never exists
        new("core.pager", "cat"),                  // git treats "cat" as "no pager"
        new("core.editor", ":"),                   // git treats ":" as "no editor"
        new("sequence.editor", ":"),
        new("core.askPass", ""),                   // empty: never ask
        new("core.sshCommand", Inert),
        new("core.attributesFile", NoFile),
        new("diff.external", Inert),               // --no-ext-diff is on every diff as well
        new("credential.helper", ""),              // empty resets the list of helpers
        new("protocol.allow", "never"),            // Overseer's git never talks to a remote (not even a partial clone's lazy fetch)
        new("protocol.ext.allow", "never"),
        new("protocol.file.allow", "never"),
        new("protocol.git.allow", "never"),
        new("protocol.ssh.allow", "never"),
        new("protocol.http.allow", "never"),
        new("protocol.https.allow", "never"),
        new("commit.gpgSign", "false"),
        new("tag.gpgSign", "false"),
        new("merge.verifySignatures", "false"),
        new("log.showSignature", "false"),
        new("gpg.program", Inert),
        new("gpg.openpgp.program", Inert),
        new("gpg.x509.program", Inert),
        new("gpg.ssh.program", Inert),
        new("submodule.recurse", "false"),         // a submodule has its own config, not read here
        new("gc.auto", "0"),                       // no background gc or maintenance started by a merge or commit
        new("maintenance.auto", "false"),
    ];

    private static readonly HashSet<string> FixedNames = new(FixedConfig.Select(c => c.Key), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Overrides for settings whose names the repository chooses: a filter, diff or merge driver
    /// is <c>&lt;section&gt;.&lt;driver&gt;.&lt;key&gt;</c> and <c>.gitattributes</c> picks the
    /// driver, so each driver the repository's config defines (includes followed) is emptied by name.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> OverridesFor(IEnumerable<string> configNames)
    {
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in configNames)
        {
            var first = name.IndexOf('.', StringComparison.Ordinal);
            var last = name.LastIndexOf('.');
            if (first < 0 || last <= first)
                continue;
            // Section and key are case-insensitive (git prints them in lower case); the driver name is not.
            var section = name[..first].ToLowerInvariant();
            var driver = name[(first + 1)..last];
            var key = name[(last + 1)..].ToLowerInvariant();
            foreach (var (overrideName, value) in Neutralise(section, driver, key))
                overrides.TryAdd(overrideName, value);
        }
        return overrides;
    }

    private static IEnumerable<KeyValuePair<string, string>> Neutralise(string section, string driver, string key)
    {
        switch (section)
        {
            case "filter":
                // Empty commands mean "no filter"; not required, so a missing filter is not an error.
                yield return new($"filter.{driver}.clean", "");
                yield return new($"filter.{driver}.smudge", "");
                yield return new($"filter.{driver}.process", "");
                yield return new($"filter.{driver}.required", "false");
                break;
            case "diff" when key is "textconv" or "command":
                // Also off through --no-textconv and --no-ext-diff on every diff.
                yield return new($"diff.{driver}.{key}", Inert);
                break;
            case "merge" when key == "driver":
                // No flag turns a merge driver off. An inert driver fails, so a file that needs it is reported as a conflict for a person to merge.
                yield return new($"merge.{driver}.driver", Inert);
                break;
            case "protocol" when key == "allow" && !FixedNames.Contains($"protocol.{driver}.allow"):
                // A per-protocol setting beats protocol.allow.
                yield return new($"protocol.{driver}.allow", "never");
                break;
        }
    }

    /// <summary>
    /// The server's <c>PATH</c> without relative or empty entries: git runs in the project, and
    /// <c>.</c> there would let the project supply <c>false</c> (the inert merge driver) or any other program.
    /// </summary>
    internal static string SearchPath(string? serverPath)
    {
        var absolute = (serverPath ?? "").Split(Path.PathSeparator).Where(Path.IsPathFullyQualified).ToList();
        return absolute.Count > 0 ? string.Join(Path.PathSeparator, absolute) : "/usr/local/bin:/usr/bin:/bin";
    }

    /// <summary>
    /// The whole environment of a git call: nothing inherited but <c>PATH</c> (to find git, a trusted
    /// program of the server's), the config as <c>GIT_CONFIG_COUNT</c>/<c>KEY_n</c>/<c>VALUE_n</c>
    /// (command-line scope, any byte in a driver's name survives, passed on to the git processes
    /// git itself starts), and the caller's own git variables.
    /// </summary>
    internal static Dictionary<string, string> Environment(IEnumerable<KeyValuePair<string, string>> config, IReadOnlyDictionary<string, string>? callerVariables)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath(System.Environment.GetEnvironmentVariable("PATH")),
            ["HOME"] = Home,
            ["LANG"] = "C",
            ["LC_ALL"] = "C",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_SYSTEM"] = NoFile,
            ["GIT_CONFIG_GLOBAL"] = NoFile,
            ["GIT_ATTR_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_EDITOR"] = ":",
            ["GIT_SEQUENCE_EDITOR"] = ":",
            ["GIT_PAGER"] = "cat",
            ["PAGER"] = "cat",
            ["GIT_SSH_COMMAND"] = Inert,
        };
        var count = 0;
        foreach (var (key, value) in config)
        {
            env[$"GIT_CONFIG_KEY_{count}"] = key;
            env[$"GIT_CONFIG_VALUE_{count}"] = value;
            count++;
        }
        env["GIT_CONFIG_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in callerVariables ?? new Dictionary<string, string>())
        {
            if (!CallerVariables.Contains(key))
                throw new ArgumentException($"A git call may not set {key}; only {string.Join(", ", CallerVariables)}.", nameof(callerVariables));
            env[key] = value;
        }
        return env;
    }
}
