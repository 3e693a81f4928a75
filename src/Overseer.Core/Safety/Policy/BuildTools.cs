namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Build and test tools: building or testing the project is YELLOW (the project's own Makefile, package.json scripts and
/// tests run; the agent's edits to them were judged when it made them). Installing or publishing reaches the network
/// (ORANGE). Options that run a program named on the command line, read a build file from elsewhere, or write or delete
/// outside the project are judged on their own.
/// </summary>
internal sealed class BuildTools(PathJudge judge)
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

    // make variables that name the shell or a program the recipes run: overriding one runs something else.
    private static readonly HashSet<string> MakeProgramVariables =
        ["SHELL", ".SHELLFLAGS", "MAKESHELL", "MAKEFLAGS", "MAKEFILES", "MAKE", "CC", "CXX", "CPP", "LD", "AR", "AS", "FC", "RM", "INSTALL", "PYTHON", "PERL"];

    private static readonly HashSet<string> CmakeReads =
        ["echo", "echo_append", "capabilities", "environment", "sleep", "true", "false", "compare_files", "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "cat", "help", "--help"];

    public PolicyDecision? Classify(string name, IReadOnlyList<string> argv, string subject)
    {
        var verdict = Base(name, argv, subject);
        if (verdict is null || verdict.Tier > Tier.Yellow)
            return verdict;
        return Options(name, argv, subject) is { } options ? PolicyDecision.Worst(verdict, options) : verdict;
    }

    private static PolicyDecision? Base(string name, IReadOnlyList<string> argv, string subject)
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

    private PolicyDecision? Options(string name, IReadOnlyList<string> argv, string subject)
    {
        PolicyDecision? worst = null;
        void Add(PolicyDecision? verdict)
        {
            if (verdict is not null)
                worst = PolicyDecision.Worst(worst, verdict);
        }
        switch (name)
        {
            case "make":
                if (argv.Any(a => a is "-E" || a.StartsWith("--eval", StringComparison.Ordinal)))
                    Add(PolicyDecision.RunsProgram(subject, "make --eval runs make code given on the command line"));
                if (argv.Skip(1).Any(a => a.Contains('=', StringComparison.Ordinal) && !a.StartsWith('-') && MakeProgramVariables.Contains(a[..a.IndexOf('=', StringComparison.Ordinal)].TrimEnd(':', '+', '?'))))
                    Add(PolicyDecision.RunsProgram(subject, "overriding SHELL, CC or a similar make variable changes which program the recipes run"));
                if (CommandLine.Value(argv, "-f", "--file", "--makefile") is { } makefile)
                    Add(ProjectFile(makefile, subject, "make reads its recipes from"));
                if (CommandLine.Value(argv, "-C", "--directory") is { } makeDirectory)
                    Add(ProjectFile(makeDirectory, subject, "make runs the Makefile in"));
                break;
            case "cmake":
                Add(Cmake(argv, subject));
                break;
            case "pytest" or "python" or "python3":
                if (CommandLine.Value(argv, "--basetemp") is { } basetemp)
                    Add(judge.JudgeRecursiveDelete(basetemp, subject));
                if (CommandLine.Value(argv, "-p") is { } plugin && !plugin.StartsWith("no:", StringComparison.Ordinal))
                    Add(PolicyDecision.RunsProgram(subject, "pytest -p loads a plugin module named on the command line"));
                break;
            case "cargo":
                var targetDirectory = CommandLine.Value(argv, "--target-dir");
                if (targetDirectory is not null)
                    Add(argv.Contains("clean") ? judge.JudgeRecursiveDelete(targetDirectory, subject) : judge.JudgeWrite(targetDirectory, subject));
                if (CommandLine.Value(argv, "--manifest-path") is { } manifest)
                    Add(ProjectFile(manifest, subject, "cargo builds the crate of"));
                if (argv.Any(a => a.StartsWith("--config", StringComparison.Ordinal)))
                    Add(PolicyDecision.RunsProgram(subject, "cargo --config can set a runner or linker"));
                break;
            case "go":
                if (argv.Any(a => a is "-exec" or "--exec" or "-toolexec" or "--toolexec" || a.StartsWith("-exec=", StringComparison.Ordinal) || a.StartsWith("-toolexec=", StringComparison.Ordinal)))
                    Add(PolicyDecision.RunsProgram(subject, "go -exec/-toolexec runs a program named on the command line"));
                if (CommandLine.Value(argv, "-o") is { } output)
                    Add(judge.JudgeWrite(output, subject));
                break;
            case "npm" or "pnpm" or "yarn":
                if (argv.Any(a => a.StartsWith("--script-shell", StringComparison.Ordinal) || a.StartsWith("--node-options", StringComparison.Ordinal)))
                    Add(PolicyDecision.RunsProgram(subject, $"{name} --script-shell/--node-options runs scripts with a program named on the command line"));
                if (CommandLine.Value(argv, "--prefix", "-C", "--dir", "--cwd") is { } prefix)
                    Add(ProjectFile(prefix, subject, $"{name} runs the scripts of"));
                break;
            case "dotnet":
                if (CommandLine.Value(argv, "-o", "--output") is { } dotnetOutput)
                    Add(judge.JudgeWrite(dotnetOutput, subject));
                break;
        }
        return worst;
    }

    private PolicyDecision? Cmake(IReadOnlyList<string> argv, string subject)
    {
        if (CommandLine.Value(argv, "-B") is { } build)
            return judge.JudgeWrite(build, subject);
        var e = argv.ToList().IndexOf("-E");
        if (e < 0 || e + 1 >= argv.Count)
            return null;
        var command = argv[e + 1];
        var operands = argv.Skip(e + 2).Where(a => !a.StartsWith('-')).ToList();
        if (command is "env" or "chdir" or "time")
            return PolicyDecision.RunsProgram(subject, $"cmake -E {command} runs a program");
        PolicyDecision? worst = null;
        if (CmakeReads.Contains(command))
        {
            foreach (var operand in operands.Where(_ => command is "cat" or "compare_files" || command.EndsWith("sum", StringComparison.Ordinal)))
                worst = PolicyDecision.Worst(worst, judge.JudgeRead(operand, subject));
            return worst;
        }
        var recursive = command is "remove_directory" || (command is "rm" or "remove" && argv.Skip(e + 2).Any(a => a.StartsWith('-') && (a.Contains('r', StringComparison.Ordinal) || a.Contains('R', StringComparison.Ordinal))));
        // copy/rename/create_symlink read their first operand and write the last; everything else writes every operand.
        var reads = command is "copy" or "copy_if_different" or "copy_directory" or "copy_directory_if_different" or "rename" or "create_symlink" or "create_hardlink" && operands.Count > 1
            ? operands.Take(operands.Count - 1).ToList()
            : [];
        foreach (var operand in operands)
        {
            var verdict = recursive ? judge.JudgeRecursiveDelete(operand, subject)
                : reads.Contains(operand) && command is not "rename" ? judge.JudgeRead(operand, subject)
                : judge.JudgeWrite(operand, subject);
            worst = PolicyDecision.Worst(worst, verdict);
        }
        return worst ?? new PolicyDecision(Tier.Yellow, $"{subject} changes the project", "bash.write-inside");
    }

    /// <summary>ORANGE when a build file or directory lies outside the project (its code was never seen), else null.</summary>
    private PolicyDecision? ProjectFile(string raw, string subject, string what)
    {
        if (raw is "-" or "/dev/stdin")
            return PolicyDecision.RunsProgram(subject, $"{what} standard input, which the policy cannot see");
        var resolved = judge.Resolve(raw);
        return judge.Zone(resolved) switch
        {
            PathZone.Project => null,
            PathZone.DataDirectory => judge.DataDirectory(subject, resolved!),
            _ => PolicyDecision.RunsProgram(subject, $"{what} {resolved ?? raw}, outside the project"),
        };
    }

    private static PolicyDecision Local(string subject) => new(Tier.Yellow, $"{subject} builds or tests the project", "bash.build");

    private static PolicyDecision Network(string subject) => new(Tier.Orange, $"{subject} installs or publishes packages over the network", "bash.package");
}
