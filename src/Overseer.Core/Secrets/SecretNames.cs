using System.Text.RegularExpressions;
using Overseer.Contracts.Api;

namespace Overseer.Core.Secrets;

/// <summary>What a secret may be called. A secret becomes an environment variable of every agent
/// it is granted to, so a name the loader, a shell or an interpreter reads before any of the
/// agent's code runs (PATH, LD_PRELOAD, BASH_ENV, NODE_OPTIONS, ...) would hand whoever sets its
/// value the agent's processes; such names are refused wherever a secret name is accepted.</summary>
public static partial class SecretNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "SHELL", "TMPDIR", "TMP", "TEMP", "USER", "LOGNAME",
        "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "IFS",
        "CDPATH", "GLOBIGNORE", "INPUTRC", "ZDOTDIR", "HISTFILE",
        "NODE_OPTIONS", "NODE_PATH", "NODE_EXTRA_CA_CERTS", "NODE_TLS_REJECT_UNAUTHORIZED", "NODE_REPL_EXTERNAL_MODULE",
        "RUBYOPT", "RUBYLIB", "GEM_HOME", "GEM_PATH",
        "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
        "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES", "MALLOC_CHECK_",
        "EDITOR", "VISUAL", "PAGER", "MANPAGER", "BROWSER", "LESSOPEN", "LESSCLOSE", "SSH_ASKPASS", "SUDO_ASKPASS",
    };

    // Whole families: the dynamic loader, git, .NET's host, Python, Perl, package managers that run
    // scripts from configuration, the XDG directories programs load configuration from, and Overseer's own.
    private static readonly string[] ReservedPrefixes =
        ["LD_", "DYLD_", "GIT_", "DOTNET_", "COREHOST_", "PYTHON", "PERL", "NPM_CONFIG_", "YARN_", "BUN_", "DENO_", "XDG_", "OVERSEER"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex Pattern();

    /// <summary>Null for a usable name; otherwise the problem's code and a message saying why.</summary>
    public static (string Code, string Message)? Validate(string name)
    {
        if (!Pattern().IsMatch(name))
            return (ErrorCodes.InvalidField, $"'{name}' is not a valid secret name: use letters, digits and _ (it becomes an environment variable), not starting with a digit.");
        if (IsReserved(name))
            return (ErrorCodes.SecretNameReserved, $"'{name}' cannot be a secret: as an environment variable it would change how programs start (the loader, shells and interpreters read it before any code runs). Choose another name.");
        return null;
    }

    public static bool IsReserved(string name) =>
        Reserved.Contains(name) || ReservedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
