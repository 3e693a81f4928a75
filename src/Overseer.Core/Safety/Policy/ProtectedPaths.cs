namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Files inside the project that make tools run programs or change what the agent may do. Writing one is RED
/// however ordinary it looks: the next <c>git commit</c>, shell, CI run or agent start executes what was written.
/// </summary>
internal static class ProtectedPaths
{
    private static readonly string[] ShellStartup = [".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile", ".zshenv", ".zlogin", ".envrc", ".kshrc", ".inputrc"];
    private static readonly string[] CiFiles = [".gitlab-ci.yml", "Jenkinsfile", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", ".drone.yml"];
    private static readonly string[] CiDirectories = [".github/workflows", ".circleci", ".buildkite", ".gitlab"];

    /// <summary>The rule and reason when <paramref name="relative"/> (a path relative to the project root) is protected, else null.</summary>
    public static (string Rule, string Why)? Match(string relative)
    {
        relative = relative.Replace('\\', '/').TrimEnd('/');
        if (Under(relative, ".claude"))
            return ("protected.claude", "files under .claude/ configure the agent itself (settings, hooks, permissions)");
        if (relative == ".mcp.json")
            return ("protected.mcp", "writing .mcp.json adds MCP servers, programs the agent starts");
        if (relative == ".git/config")
            return ("protected.git-config", "writing .git/config can make git run programs (core.pager, core.sshCommand, aliases, hooksPath)");
        if (Under(relative, ".git/hooks"))
            return ("protected.git-hooks", "a file in .git/hooks runs on the next commit, checkout or push");
        if (ShellStartup.Contains(relative))
            return ("protected.shell-rc", $"{relative} runs in every shell started here (direnv, login shells)");
        if (CiFiles.Contains(relative) || CiDirectories.Any(d => Under(relative, d)))
            return ("protected.ci", $"{relative} is CI configuration, which runs with the repository's secrets");
        return null;
    }

    private static bool Under(string relative, string directory) =>
        relative == directory || relative.StartsWith(directory + "/", StringComparison.Ordinal);
}
