namespace Overseer.Core.Safety.Policy;

/// <summary>The built-in verdicts for ordinary programs (wrappers and shells are unwrapped before this).</summary>
internal sealed class CommandCatalog(PathJudge judge)
{
    // Print, compute or test; no file arguments worth judging.
    private static readonly HashSet<string> Harmless =
    [
        "echo", "printf", "pwd", "which", "whoami", "date", "true", "false", "sleep", "test", "[", "[[", "uname", "id", "hostname",
        "seq", "type", "printenv", "basename", "dirname", "df", "tr", "yes", ":", "exit", "return", "export", "set", "unset",
        "local", "declare", "readonly", "shopt", "popd", "wait", "jobs", "hash", "nproc", "arch", "tty", "groups", "umask",
    ];

    // Read-only: every operand is a file or directory they read.
    private static readonly HashSet<string> Readers =
    [
        "cat", "head", "tail", "wc", "ls", "stat", "file", "du", "tree", "diff", "cmp", "comm", "nl", "tac", "rev", "less", "more",
        "md5sum", "sha1sum", "sha256sum", "sha512sum", "strings", "xxd", "od", "hexdump", "readlink", "realpath", "column", "paste",
        "fold", "fmt", "expand", "unexpand", "cut", "join", "sort", "uniq", "base64", "ll", "dir",
    ];

    // Change their operands (inside the project: YELLOW; outside: RED).
    private static readonly HashSet<string> Writers =
        ["touch", "mkdir", "rmdir", "truncate", "tee", "install", "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz"];

    // Builtins that evaluate an argument as arithmetic: an array subscript in it (a[$(cmd)]) runs the command.
    private static readonly HashSet<string> ArithmeticBuiltins =
        ["printf", "test", "[", "[[", "declare", "typeset", "local", "export", "readonly", "unset", "let", "read", "mapfile", "readarray", "wait", "shift", "return", "exit"];

    private static readonly HashSet<string> Network =
        ["curl", "wget", "ssh", "scp", "sftp", "rsync", "nc", "ncat", "netcat", "socat", "telnet", "ftp", "ping", "dig", "nslookup", "host", "http", "https", "npx", "pnpx", "bunx"];

    private static readonly HashSet<string> SystemTools =
    [
        "apt", "apt-get", "yum", "dnf", "brew", "snap", "pacman", "apk", "zypper", "docker", "podman", "kubectl", "helm", "systemctl",
        "service", "crontab", "at", "launchctl", "terraform", "mount", "umount", "iptables", "useradd", "usermod", "passwd",
    ];

    private static readonly HashSet<string> Destructive = ["kill", "pkill", "killall", "xkill", "shutdown", "reboot", "halt", "poweroff", "init", "telinit"];

    private static readonly HashSet<string> DiskTools = ["fdisk", "sfdisk", "parted", "gdisk", "sgdisk", "shred", "blkdiscard"];

    // Variables that change which program runs or what it loads: later "harmless" commands could do anything.
    private static readonly HashSet<string> HijackVariables =
    [
        "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "IFS", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS",
        "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_EDITOR", "GIT_CONFIG", "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_PARAMETERS", "GIT_DIR", "GIT_WORK_TREE", "PAGER", "EDITOR", "VISUAL", "NODE_OPTIONS", "PYTHONSTARTUP",
        "GIT_SEQUENCE_EDITOR", "GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EXEC_PATH", "GIT_TEMPLATE_DIR",
        "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_ATTR_SOURCE", "LESSOPEN", "LESSCLOSE",
        "MANPAGER", "BROWSER", "MAKEFLAGS", "MAKEFILES", "TAR_OPTIONS", "PERL5OPT", "PERL5LIB", "PYTHONPATH", "RUBYOPT", "NODE_PATH",
        "CDPATH", "GLOBIGNORE", "BASH_LOADABLES_PATH", "npm_config_script_shell", "NPM_CONFIG_SCRIPT_SHELL",
    ];

    private readonly GitClassifier _git = new(judge);

    public static PolicyDecision JudgeAssignment(string assignment)
    {
        var name = assignment.Split('=', 2)[0].TrimEnd('+');
        return HijackVariables.Contains(name) || name.StartsWith("GIT_CONFIG_", StringComparison.Ordinal)
            ? new PolicyDecision(Tier.Orange, $"setting {name} changes what later commands run", "bash.env-override")
            : new PolicyDecision(Tier.Green, $"sets {name}", "bash.assignment");
    }

    public PolicyDecision Classify(string name, IReadOnlyList<string> argv, string subject, int depth)
    {
        if (name is "export" or "declare" or "local" or "readonly")
        {
            PolicyDecision? worst = null;
            foreach (var assignment in argv.Skip(1).Where(a => a.Contains('=', StringComparison.Ordinal)))
            {
                judge.CdPathSet |= assignment.StartsWith("CDPATH=", StringComparison.Ordinal);
                worst = PolicyDecision.Worst(worst, JudgeAssignment(assignment));
            }
            if (worst is { Tier: > Tier.Green })
                return worst;
        }
        if (name.StartsWith("mkfs", StringComparison.Ordinal) || name is "mke2fs" or "mkswap" or "wipefs")
            return new PolicyDecision(Tier.Black, $"{subject} formats or wipes a file system", "bash.mkfs");
        if (ArithmeticBuiltins.Contains(name) && argv.Skip(1).Any(a => a.Contains('[', StringComparison.Ordinal) && (a.Contains("$(", StringComparison.Ordinal) || a.Contains('`', StringComparison.Ordinal))))
            return PolicyDecision.RunsProgram(subject, "an array subscript evaluated as arithmetic runs the command substitution inside it");
        if (name == "hash" && CommandLine.HasFlag(argv, "-p"))
            return new PolicyDecision(Tier.Orange, $"{subject}: hash -p makes a command name run another program", "bash.env-override");
        if (name is "printf" or "read" or "mapfile" or "readarray" && CommandLine.Value(argv, "-v") is { } variable && JudgeAssignment(variable + "=") is { Tier: > Tier.Green } hijack)
            return hijack;
        // --files0-from / -T / --files-from: the files read are named in another file nobody has seen.
        if (argv.Any(a => a.StartsWith("--files0-from", StringComparison.Ordinal) || a.StartsWith("--files-from", StringComparison.Ordinal) || (name == "tar" && a == "-T")))
            return new PolicyDecision(Tier.Orange, $"{subject} reads files listed in another file, which are only known at run time", "bash.read-outside");
        if (name == "sort" && argv.Any(a => a.StartsWith("--compress-program", StringComparison.Ordinal)))
            return PolicyDecision.RunsProgram(subject, "sort --compress-program runs a program");
        if (Harmless.Contains(name))
            return new PolicyDecision(Tier.Green, $"{subject} is read-only", "bash.read-only");
        if (Readers.Contains(name))
            return Readers_(name, argv, subject);
        if (Writers.Contains(name))
            return AllOf(Ops(argv), a => judge.JudgeWrite(a, subject), subject);
        switch (name)
        {
            case "cd" or "pushd":
                return ChangeDirectory(argv, subject);
            case "grep" or "egrep" or "fgrep" or "rg" or "ag":
                return Grep(name, argv, subject);
            case "jq":
                return AllOf(CommandLine.HasAny(argv, "-f", "--from-file") ? Ops(argv) : Ops(argv).Skip(1), a => judge.JudgeRead(a, subject), subject);
            case "find":
                return new FindClassifier(judge).Classify(argv, subject, (inner, d) => InnerCommand(inner, d), depth);
            case "sed":
                return new SedClassifier(judge).Classify(argv, subject);
            case "tar" or "zip" or "unzip":
                return new ArchiveTools(judge).Classify(name, argv, subject);
            case "rm":
                return Remove(argv, subject);
            case "cp" or "mv" or "ln":
                return Copy(name, argv, subject);
            case "chmod" or "chown" or "chgrp":
                return Permissions(name, argv, subject);
            case "dd":
                return Dd(argv, subject);
            case "git":
                return _git.Classify(argv, subject);
            case "patch":
                return new PolicyDecision(Tier.Yellow, $"{subject} patches files in the project", "bash.write-inside");
        }
        if (DiskTools.Contains(name))
            return new PolicyDecision(Tier.Red, $"{subject} rewrites disks or destroys data", "bash.disk");
        if (Destructive.Contains(name))
            return new PolicyDecision(Tier.Red, $"{subject} stops processes or the machine", "bash.kill");
        if (Network.Contains(name))
            return Worst(new PolicyDecision(Tier.Orange, $"{subject} uses the network", "bash.network"), DownloadTarget(argv, subject));
        if (SystemTools.Contains(name))
            return new PolicyDecision(Tier.Orange, $"{subject} changes the system or installs software", "bash.system");
        if (new BuildTools(judge).Classify(name, argv, subject) is { } build)
            return build;
        var unknown = new PolicyDecision(Tier.Orange, $"{subject} is not a command the policy knows", "bash.unknown");
        return judge.JudgeUnknownOperands(argv, subject) is { } reach ? PolicyDecision.Worst(unknown, reach) : unknown;
    }

    // A hook for find -exec; the classifier that owns rules and wrappers sets it.
    public Func<IReadOnlyList<string>, int, PolicyDecision>? InnerCommandHandler { get; set; }

    private PolicyDecision InnerCommand(IReadOnlyList<string> argv, int depth) =>
        InnerCommandHandler?.Invoke(argv, depth) ?? Classify(Path.GetFileName(argv[0]), argv, $"'{new SimpleCommand(argv, [], [])}'", depth);

    private static List<string> Ops(IReadOnlyList<string> argv) => CommandLine.Operands(argv);

    private static PolicyDecision Worst(PolicyDecision first, PolicyDecision? second) => second is null ? first : PolicyDecision.Worst(first, second);

    /// <summary>The worst verdict over the operands, or GREEN when there are none (the command then works on the current directory).</summary>
    private static PolicyDecision AllOf(IEnumerable<string> operands, Func<string, PolicyDecision> judgeOne, string subject, Tier floor = Tier.Green, string floorRule = "bash.read-only")
    {
        PolicyDecision? worst = floor == Tier.Green ? null : new PolicyDecision(floor, $"{subject} changes the project", floorRule);
        foreach (var operand in operands)
            worst = PolicyDecision.Worst(worst, judgeOne(operand));
        return worst ?? new PolicyDecision(Tier.Green, $"{subject} works inside the project", "bash.read-only");
    }

    private PolicyDecision Readers_(string name, IReadOnlyList<string> argv, string subject)
    {
        var operands = Ops(argv);
        var result = AllOf(name == "uniq" ? operands.Take(1) : operands, a => judge.JudgeRead(a, subject), subject);
        var output = name switch
        {
            "sort" => CommandLine.Value(argv, "-o", "--output"),
            "uniq" => operands.Count > 1 ? operands[1] : null,
            _ => null,
        };
        return output is null ? result : PolicyDecision.Worst(result, judge.JudgeWrite(output, subject));
    }

    private PolicyDecision ChangeDirectory(IReadOnlyList<string> argv, string subject)
    {
        // Later relative paths are judged against the project, so leaving it makes them unjudgeable.
        var operands = Ops(argv);
        var target = operands.Count == 0 ? judge.Context.Home : operands[0];
        // With CDPATH set, "cd dir" may go to any dir under any CDPATH entry; "cd -" goes back to where nobody knows.
        var searched = judge.CdPathSet && !Path.IsPathRooted(target) && !target.StartsWith("./", StringComparison.Ordinal) && !target.StartsWith("../", StringComparison.Ordinal) && target is not "." and not "..";
        var resolved = searched || target == "-" ? null : judge.Resolve(target);
        var verdict = judge.Zone(resolved) switch
        {
            PathZone.Project => new PolicyDecision(Tier.Green, $"{subject} stays inside the project", "bash.read-only"),
            PathZone.DataDirectory => judge.DataDirectory(subject, resolved!),
            PathZone.Unknown => new PolicyDecision(Tier.Orange, $"{subject} goes to a directory only known at run time; later relative paths are judged as unknown", "bash.cd-outside"),
            _ => new PolicyDecision(Tier.Orange, $"{subject} leaves the project; later relative paths are judged from {resolved}", "bash.cd-outside"),
        };
        // Later relative paths start from where cd went.
        judge.WorkingDirectory = resolved;
        return verdict;
    }

    /// <summary>The verdict on moving to <paramref name="directory"/> (env -C, make -C...), without moving.</summary>
    public PolicyDecision JudgeDirectory(string directory, string subject)
    {
        var saved = judge.WorkingDirectory;
        try
        {
            return ChangeDirectory(["cd", directory], subject);
        }
        finally
        {
            judge.WorkingDirectory = saved;
        }
    }

    private PolicyDecision Grep(string name, IReadOnlyList<string> argv, string subject)
    {
        if (name == "rg" && CommandLine.HasAny(argv, "--pre", "--pre-glob"))
            return new PolicyDecision(Tier.Orange, $"{subject}: rg --pre runs a program on every file (CVE-2025-58764)", "bash.rg-pre");
        var hasPattern = CommandLine.HasAny(argv, "-e", "-f", "--regexp", "--file");
        var operands = CommandLine.Operands(argv, 1, "-e", "-f", "-m", "-A", "-B", "-C", "-g", "-t", "-T", "--glob", "--type", "--max-count");
        // A pattern file is read too.
        var patternFile = CommandLine.Value(argv, "-f", "--file");
        return AllOf((hasPattern ? operands : operands.Skip(1)).Concat(patternFile is null ? [] : [patternFile]), a => judge.JudgeRead(a, subject), subject);
    }

    private PolicyDecision Remove(IReadOnlyList<string> argv, string subject)
    {
        var recursive = CommandLine.HasAny(argv, "-r", "-R", "--recursive");
        return recursive
            ? AllOf(Ops(argv), a => judge.JudgeRecursiveDelete(a, subject), subject, Tier.Red, "bash.rm-recursive")
            : AllOf(Ops(argv), a => judge.JudgeWrite(a, subject), subject);
    }

    private PolicyDecision Copy(string name, IReadOnlyList<string> argv, string subject)
    {
        var operands = CommandLine.Operands(argv, 1, "-t", "-S", "--suffix", "--target-directory");
        var target = CommandLine.Value(argv, "-t", "--target-directory");
        if (target is null && operands.Count > 0)
        {
            target = operands[^1];
            operands.RemoveAt(operands.Count - 1);
        }
        if (name == "ln" || (name == "cp" && CommandLine.HasAny(argv, "-l", "--link", "-s", "--symbolic-link")))
            return Link(argv, operands, target, subject);
        PolicyDecision? worst = target is null ? null : judge.JudgeWrite(target, subject);
        // cp -r/-a/-P/-d copies a symlink as a symlink, and mv moves it: the copy points where the original did.
        var keepsLinks = name == "mv" || CommandLine.HasAny(argv, "-r", "-R", "--recursive", "-a", "--archive", "-P", "--no-dereference", "-d");
        if (target is not null && keepsLinks)
        {
            foreach (var source in operands.Where(o => IsSymlink(o)))
            {
                var copy = operands.Count > 1 || (judge.Resolve(target) is { } t && Directory.Exists(t)) ? $"{target.TrimEnd('/')}/{Path.GetFileName(source.TrimEnd('/'))}" : target;
                worst = PolicyDecision.Worst(worst, judge.JudgeLink(source, copy, symbolic: false, subject));
            }
        }
        foreach (var source in operands)
        {
            // mv removes its sources; ln never opens its targets.
            var verdict = name switch { "mv" => judge.JudgeWrite(source, subject), "cp" => judge.JudgeRead(source, subject), _ => null };
            if (verdict is not null)
                worst = PolicyDecision.Worst(worst, verdict);
        }
        return worst ?? new PolicyDecision(Tier.Yellow, $"{subject} changes the project", "bash.write-inside");
    }

    private bool IsSymlink(string raw)
    {
        var parent = Path.GetDirectoryName(raw.TrimEnd('/'));
        var directory = string.IsNullOrEmpty(parent) ? judge.WorkingDirectory : judge.Resolve(parent);
        return directory is not null && !BashParse.IsDynamic(raw) && new FileInfo(Path.Combine(directory, Path.GetFileName(raw.TrimEnd('/')))).LinkTarget is not null;
    }

    private PolicyDecision Link(IReadOnlyList<string> argv, List<string> sources, string? target, string subject)
    {
        if (target is null)
            return new PolicyDecision(Tier.Yellow, $"{subject} changes the project", "bash.write-inside");
        var symbolic = CommandLine.HasAny(argv, "-s", "--symbolic");
        if (sources.Count == 0)
        {
            // "ln TARGET" makes a link named after it in the current directory.
            sources.Add(target);
            target = Path.GetFileName(target.TrimEnd('/'));
        }
        var intoDirectory = sources.Count > 1 || CommandLine.Value(argv, "-t", "--target-directory") is not null
            || (judge.Resolve(target) is { } t && Directory.Exists(t) && !CommandLine.HasAny(argv, "-T", "--no-target-directory", "-n", "--no-dereference"));
        PolicyDecision? worst = null;
        foreach (var source in sources)
        {
            var link = intoDirectory ? $"{target.TrimEnd('/')}/{Path.GetFileName(source.TrimEnd('/'))}" : target;
            worst = PolicyDecision.Worst(worst, judge.JudgeLink(source, link, symbolic, subject));
        }
        return worst!;
    }

    private PolicyDecision Permissions(string name, IReadOnlyList<string> argv, string subject)
    {
        var operands = Ops(argv);
        if (!argv.Any(a => a.StartsWith("--reference", StringComparison.Ordinal)) && operands.Count > 0)
            operands.RemoveAt(0);
        if (!CommandLine.HasAny(argv, "-R", "--recursive"))
            return AllOf(operands, a => judge.JudgeWrite(a, subject), subject, Tier.Yellow, "bash.write-inside");
        PolicyDecision worst = new(Tier.Red, $"{subject} changes permissions recursively", "bash.chmod-recursive");
        foreach (var operand in operands)
        {
            var resolved = judge.Resolve(operand);
            if (resolved is not null && judge.IsCatastrophicDeleteTarget(resolved))
                return new PolicyDecision(Tier.Black, $"{subject} recursively changes {resolved} (the root, a system directory or the home directory)", "bash.chmod-root");
            if (judge.Zone(resolved) == PathZone.DataDirectory)
                return judge.DataDirectory(subject, resolved!);
        }
        return worst;
    }

    private PolicyDecision Dd(IReadOnlyList<string> argv, string subject)
    {
        PolicyDecision worst = new(Tier.Red, $"{subject} copies raw blocks", "bash.dd");
        foreach (var arg in argv.Skip(1))
        {
            if (arg.StartsWith("of=", StringComparison.Ordinal))
            {
                var target = arg[3..];
                var resolved = judge.Resolve(target);
                if (PathJudge.IsBlockDevice(target) || (resolved is not null && PathJudge.IsBlockDevice(resolved)))
                    return new PolicyDecision(Tier.Black, $"{subject} writes to the block device {target}", "bash.dd-device");
                worst = PolicyDecision.Worst(worst, judge.JudgeWrite(target, subject));
            }
            else if (arg.StartsWith("if=", StringComparison.Ordinal) && !arg.StartsWith("if=/dev/", StringComparison.Ordinal))
                worst = PolicyDecision.Worst(worst, judge.JudgeRead(arg[3..], subject));
        }
        return worst;
    }

    private PolicyDecision? DownloadTarget(IReadOnlyList<string> argv, string subject)
    {
        // rsync and scp copy locally too: a last operand without host: is a local destination.
        if (argv[0].EndsWith("rsync", StringComparison.Ordinal) || argv[0].EndsWith("scp", StringComparison.Ordinal))
        {
            var operands = CommandLine.Operands(argv, 1, "-e", "--rsh", "-i", "-P", "-o", "-F", "-l", "-c", "-J");
            return operands.Count > 1 && !operands[^1].Contains(':', StringComparison.Ordinal) ? judge.JudgeWrite(operands[^1], subject) : null;
        }
        var output = CommandLine.Value(argv, "-o", "--output", "-O", "--output-document");
        return output is null || output == "-" ? null : judge.JudgeWrite(output, subject);
    }
}
