namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Classifies a Bash command line: parses it, unwraps wrappers (<c>sudo</c>, <c>env</c>, <c>bash -c</c>, <c>eval</c>,
/// <c>xargs</c>, <c>timeout</c>...) layer by layer, lets a matching file rule set each layer's tier (never below a
/// BLACK built-in), judges redirections, and returns the worst verdict, naming the sub-command that decided.
/// </summary>
internal sealed class BashCommandClassifier(PathJudge judge, RuleSet rules)
{
    private static readonly HashSet<string> Shells = ["bash", "sh", "zsh", "dash", "ksh", "mksh", "fish", "busybox"];
    private static readonly HashSet<string> TrustedBinDirectories = ["/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/usr/local/sbin"];

    private CommandCatalog? _catalog;

    // find -exec runs a command of its own: judge it with rules and wrappers like any other.
    private CommandCatalog Catalog => _catalog ??= new CommandCatalog(judge) { InnerCommandHandler = ClassifyArgv };

    public PolicyDecision Classify(string command, int depth = 0)
    {
        // No argument or file name can hold a NUL (exec ends strings there) and the file system APIs throw on one
        // (found by tools/fuzz). What would run is unclear, so a person looks: never below ORANGE, and a worse reading
        // wins, the NUL taken either as a word break or as dropped.
        if (command.Contains('\0', StringComparison.Ordinal))
        {
            var floor = new PolicyDecision(Tier.Orange, "the command holds a NUL character, so it cannot be judged", "bash.unparseable");
            var split = Classify(command.Replace('\0', ' '), depth);
            var dropped = Classify(command.Replace("\0", "", StringComparison.Ordinal), depth);
            return PolicyDecision.Worst(PolicyDecision.Worst(floor, split), dropped);
        }
        var parse = BashParser.Parse(command, judge.Context.Expansion, depth);
        PolicyDecision? worst = null;
        foreach (var function in parse.Functions.Where(f => f.SelfCalls >= 1 && f.Concurrent))
            worst = PolicyDecision.Worst(worst, new PolicyDecision(Tier.Black, $"function '{function.Name}' runs itself concurrently: a fork bomb", "bash.fork-bomb"));
        foreach (var simple in parse.Commands)
            worst = PolicyDecision.Worst(worst, ClassifyCommand(simple, depth));
        if (parse.Incomplete)
            worst = PolicyDecision.Worst(worst, new PolicyDecision(Tier.Orange, $"the command could not be parsed completely ({parse.Error})", "bash.unparseable"));
        return worst ?? new PolicyDecision(Tier.Green, "the command is empty", "bash.empty");
    }

    private PolicyDecision ClassifyCommand(SimpleCommand command, int depth)
    {
        PolicyDecision? worst = null;
        // CDPATH=... cd dir: the assignment applies to the cd it prefixes.
        judge.CdPathSet |= command.EnvAssignments.Any(a => a.StartsWith("CDPATH=", StringComparison.Ordinal));
        if (command.Argv.Count > 0)
            worst = ClassifyArgv(command.Argv, depth);
        foreach (var assignment in command.EnvAssignments)
            worst = PolicyDecision.Worst(worst, CommandCatalog.JudgeAssignment(assignment));
        foreach (var redirect in command.Redirects)
            if (JudgeRedirect(redirect) is { } verdict)
                worst = PolicyDecision.Worst(worst, verdict);
        return worst ?? new PolicyDecision(Tier.Green, "only sets shell variables", "bash.assignment");
    }

    private PolicyDecision? JudgeRedirect(Redirect redirect)
    {
        var subject = $"redirect '{redirect.Op} {redirect.Target}'";
        return redirect.Op switch
        {
            ">" or ">>" or ">|" or "&>" or "&>>" or "<>" => judge.JudgeWrite(redirect.Target, subject),
            ">&" when !(redirect.Target == "-" || redirect.Target.All(char.IsAsciiDigit)) => judge.JudgeWrite(redirect.Target, subject),
            "<" => judge.JudgeRead(redirect.Target, subject),
            _ => null,
        };
    }

    /// <summary>One layer: a file rule or the built-in sets this layer's tier; an inner command (after a wrapper) is judged on its own.</summary>
    private PolicyDecision ClassifyArgv(IReadOnlyList<string> argv, int depth)
    {
        if (depth > BashParser.MaxDepth)
            return new PolicyDecision(Tier.Orange, "commands are nested too deeply to judge", "bash.unparseable");
        var subject = $"'{new SimpleCommand(argv, [], [])}'";
        var (own, inner) = Layer(argv, subject, depth);
        var rule = rules.MatchCommand(argv);
        if (rule is not null)
            own = ApplyRule(rule, own, subject);
        return inner is null ? own : PolicyDecision.Worst(own, inner);
    }

    internal static PolicyDecision ApplyRule(PolicyRule rule, PolicyDecision builtIn, string subject)
    {
        if (builtIn.Tier == Tier.Black && rule.Tier < Tier.Black)
            return builtIn with { Reason = $"{builtIn.Reason} (policy rule {rule.Id} cannot lower a BLACK built-in)" };
        return new PolicyDecision(rule.Tier, $"{subject}: {rule.Reason}", rule.Id);
    }

    private (PolicyDecision Own, PolicyDecision? Inner) Layer(IReadOnlyList<string> argv, string subject, int depth)
    {
        var program = argv[0];
        if (BashParse.IsDynamic(program))
            return (new PolicyDecision(Tier.Orange, $"{subject}: the program is only known at run time", "bash.unknown"), null);
        var directory = Path.GetDirectoryName(program);
        if (!string.IsNullOrEmpty(directory) && !TrustedBinDirectories.Contains(directory))
        {
            var byPath = new PolicyDecision(Tier.Orange, $"{subject} runs a program by path ({program}), which may do anything", "bash.unknown");
            return (judge.JudgeUnknownOperands(argv, subject) is { } reach ? PolicyDecision.Worst(byPath, reach) : byPath, null);
        }
        var name = Path.GetFileName(program);
        var wrapper = new PolicyDecision(Tier.Green, $"{subject} runs another command", "bash.wrapper");
        switch (name)
        {
            case "sudo" or "doas" or "pkexec" or "su":
                {
                    var own = new PolicyDecision(Tier.Red, $"{subject} runs with another user's privileges", "bash.sudo");
                    if (name == "su")
                    {
                        var body = CommandLine.Value(argv, "-c", "--command");
                        return (own, body is null ? null : Classify(body, depth + 1));
                    }
                    var rest = SkipOptions(argv, 1, "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "--user", "--group");
                    return (own, rest < argv.Count ? ClassifyArgv(argv.Skip(rest).ToList(), depth + 1) : null);
                }
            case "env":
                return Env(argv, subject, depth);
            case "nohup" or "time" or "command" or "exec" or "builtin" or "setsid" or "nice" or "stdbuf" or "ionice" or "chroot" or "timeout":
                {
                    if (name == "command" && CommandLine.HasAny(argv, "-v", "-V"))
                        return (new PolicyDecision(Tier.Green, $"{subject} only looks a command up", "bash.read-only"), null);
                    var rest = SkipOptions(argv, 1, "-n", "-a", "-s", "-k", "-c", "-i", "-o", "-e", "--signal", "--kill-after", "--adjustment");
                    if (name is "timeout" or "chroot")
                        rest++;
                    var own = name == "chroot" ? new PolicyDecision(Tier.Red, $"{subject} changes the root directory", "bash.sudo") : wrapper;
                    return (own, rest < argv.Count ? ClassifyArgv(argv.Skip(rest).ToList(), depth + 1) : null);
                }
            case "xargs":
                {
                    var rest = SkipOptions(argv, 1, "-I", "-L", "-n", "-P", "-d", "-E", "-s", "-a", "-l", "-i");
                    // xargs -a reads its arguments from a file: that file is read.
                    var own = CommandLine.Value(argv, "-a", "--arg-file") is { } argFile ? judge.JudgeRead(argFile, subject) : wrapper;
                    if (rest >= argv.Count)
                        return (PolicyDecision.Worst(new PolicyDecision(Tier.Green, $"{subject} echoes its input", "bash.read-only"), own), null);
                    // xargs appends words from its input: arguments nobody knows before it runs.
                    return (own, ClassifyArgv([.. argv.Skip(rest), BashParse.Unknown.ToString()], depth + 1));
                }
            case "watch":
                {
                    var rest = SkipOptions(argv, 1, "-n", "--interval", "-q", "--equexit");
                    return (wrapper, rest < argv.Count ? Classify(string.Join(' ', argv.Skip(rest)), depth + 1) : null);
                }
            case "eval":
                return (wrapper, argv.Count > 1 ? Classify(string.Join(' ', argv.Skip(1)), depth + 1) : null);
            case "source" or ".":
                return (new PolicyDecision(Tier.Orange, $"{subject} runs a script in the current shell", "bash.script"), null);
        }
        if (Shells.Contains(name))
            return Shell(argv, subject, depth);
        return (Catalog.Classify(name, argv, subject, depth), null);
    }

    private (PolicyDecision, PolicyDecision?) Env(IReadOnlyList<string> argv, string subject, int depth)
    {
        var i = 1;
        PolicyDecision? assignments = null;
        string? directory = null;
        string? split = null;
        while (i < argv.Count && split is null)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
                var takesValue = name is "--split-string" or "--chdir" or "--unset" or "--argv0" or "--block-signal" or "--default-signal" or "--ignore-signal";
                if (takesValue && value is null && name is "--split-string" or "--chdir" or "--unset" or "--argv0")
                    value = i + 1 < argv.Count ? argv[++i] : "";
                if (name == "--split-string")
                    split = value;
                else if (name == "--chdir")
                    directory = value;
                i++;
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                // A cluster such as -iS'cmd' or -C dir: S, C, u and a take the rest of the cluster or the next word.
                for (var j = 1; j < arg.Length; j++)
                {
                    if (arg[j] is not ('S' or 'C' or 'u' or 'a'))
                        continue;
                    var value = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < argv.Count ? argv[++i] : "";
                    if (arg[j] == 'S')
                        split = value;
                    else if (arg[j] == 'C')
                        directory = value;
                    break;
                }
                i++;
                continue;
            }
            if (arg.Contains('=', StringComparison.Ordinal))
            {
                judge.CdPathSet |= arg.StartsWith("CDPATH=", StringComparison.Ordinal);
                assignments = PolicyDecision.Worst(assignments, CommandCatalog.JudgeAssignment(arg));
                i++;
            }
            else
                break;
        }
        var own = assignments ?? new PolicyDecision(Tier.Green, $"{subject} sets the environment", "bash.wrapper");
        if (directory is not null)
            own = PolicyDecision.Worst(own, Catalog.JudgeDirectory(directory, subject));
        // env -S splits its string into words and runs them, with the remaining arguments after them.
        if (split is not null)
        {
            var command = string.Join(' ', argv.Skip(i).Prepend(split));
            return (own, judge.InDirectory(directory, () => Classify(command, depth + 1)));
        }
        if (i >= argv.Count)
            return (PolicyDecision.Worst(own, new PolicyDecision(Tier.Green, $"{subject} prints the environment", "bash.read-only")), null);
        return (own, judge.InDirectory(directory, () => ClassifyArgv(argv.Skip(i).ToList(), depth + 1)));
    }

    private (PolicyDecision, PolicyDecision?) Shell(IReadOnlyList<string> argv, string subject, int depth)
    {
        var hasC = false;
        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg.Length > 1 && arg[0] == '-' && arg[1] != '-')
            {
                hasC |= arg.Contains('c', StringComparison.Ordinal);
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
                continue;
            if (!hasC)
                return (new PolicyDecision(Tier.Orange, $"{subject} runs a script, which may do anything", "bash.script"), null);
            var body = Classify(arg, depth + 1);
            var own = BashParse.IsDynamic(arg)
                ? new PolicyDecision(Tier.Orange, $"{subject}: the shell's commands are only known at run time", "bash.unparseable")
                : new PolicyDecision(Tier.Green, $"{subject} runs a command string", "bash.wrapper");
            return (own, body);
        }
        return hasC
            ? (new PolicyDecision(Tier.Orange, $"{subject} has no command string", "bash.unparseable"), null)
            : (new PolicyDecision(Tier.Orange, $"{subject} runs whatever is piped into it", "bash.shell-stdin"), null);
    }

    /// <summary>The index of the first operand after the wrapper's own options (<paramref name="withValue"/> swallow a word).</summary>
    private static int SkipOptions(IReadOnlyList<string> argv, int i, params string[] withValue)
    {
        while (i < argv.Count && argv[i].StartsWith('-') && argv[i].Length > 1)
        {
            if (argv[i] == "--")
                return i + 1;
            i += withValue.Contains(argv[i]) ? 2 : 1;
        }
        return i;
    }
}
