namespace Overseer.Core.Safety.Policy;

/// <summary>Build and test tools: building or testing the project is YELLOW; installing or publishing reaches the network (ORANGE).</summary>
internal static class BuildTools
{
    private static readonly Dictionary<string, HashSet<string>> LocalSubcommands = new()
    {
        ["npm"] = ["test", "t", "tst", "run", "run-script", "start", "build", "lint", "ls", "list", "version", "help"],
        ["pnpm"] = ["test", "t", "run", "start", "build", "lint", "ls", "list"],
        ["yarn"] = ["test", "run", "start", "build", "lint", "list"],
        ["cargo"] = ["build", "b", "test", "t", "check", "c", "clippy", "fmt", "run", "r", "doc", "bench", "clean", "tree", "metadata"],
        ["go"] = ["build", "test", "vet", "fmt", "run", "list", "env", "version", "doc", "clean"],
        ["dotnet"] = ["build", "test", "run", "format", "clean", "restore", "publish", "pack", "--info", "--version", "--list-sdks"],
    };

    private static readonly HashSet<string> AlwaysLocal = ["make", "pytest", "cmake", "ninja", "tsc", "eslint", "prettier", "mypy", "ruff", "black"];

    private static readonly HashSet<string> Installers = ["pip", "pip3", "gem", "bundle", "composer", "conda", "uv", "poetry", "pipx"];

    public static PolicyDecision? Classify(string name, IReadOnlyList<string> argv, string subject)
    {
        if (AlwaysLocal.Contains(name))
            return Local(subject);
        if (name is "python" or "python3" && argv.Count > 2 && argv[1] == "-m" && argv[2] == "pytest")
            return Local(subject);
        if (Installers.Contains(name))
            return Network(subject);
        if (!LocalSubcommands.TryGetValue(name, out var local))
            return null;
        var sub = argv.Skip(1).FirstOrDefault(a => !a.StartsWith('-') || a.StartsWith("--", StringComparison.Ordinal) && local.Contains(a));
        return sub is not null && local.Contains(sub) ? Local(subject) : Network(subject);
    }

    private static PolicyDecision Local(string subject) => new(Tier.Yellow, $"{subject} builds or tests the project", "bash.build");

    private static PolicyDecision Network(string subject) => new(Tier.Orange, $"{subject} installs or publishes packages over the network", "bash.package");
}
