namespace Overseer.Core.Safety.Policy;

/// <summary>
/// tar, zip and unzip: they read and write where their directory options say (<c>-C</c>, <c>--directory</c>, <c>-d</c>), and
/// several options run programs (<c>--checkpoint-action=exec</c>, <c>--to-command</c>, <c>-I</c>, <c>zip -TT</c>).
/// </summary>
internal sealed class ArchiveTools(PathJudge judge)
{
    private static readonly string[] TarRunners =
        ["--checkpoint-action", "--to-command", "--use-compress-program", "--info-script", "--new-volume-script", "--rsh-command", "--rmt-command"];

    private static readonly HashSet<string> TarWithValue =
        ["-f", "--file", "-C", "--directory", "-I", "-T", "--files-from", "-X", "--exclude-from", "-F", "-b", "-H", "--format", "-K", "-L", "-N", "-V", "--label", "-g", "--listed-incremental"];

    public PolicyDecision Classify(string name, IReadOnlyList<string> argv, string subject) => name switch
    {
        "tar" => Tar(argv, subject),
        "zip" => Zip(argv, subject),
        _ => Unzip(argv, subject),
    };

    private PolicyDecision Tar(IReadOnlyList<string> argv, string subject)
    {
        if (argv.Skip(1).Any(a => TarRunners.Any(r => a.StartsWith(r, StringComparison.Ordinal)) || a is "-I" || (a.StartsWith("-I", StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal))))
            return PolicyDecision.RunsProgram(subject, "tar runs a program named by an option (checkpoint action, compressor, --to-command)");
        // Old-style "tar xzf a.tar": the first word is a cluster of letters without a dash.
        var first = argv.Count > 1 && !argv[1].StartsWith('-') ? "-" + argv[1] : "";
        var letters = string.Concat(argv.Skip(1).Where(a => a.Length > 1 && a[0] == '-' && a[1] != '-').Prepend(first));
        var extract = letters.Contains('x', StringComparison.Ordinal) || CommandLine.HasAny(argv, "--extract", "--get");
        var create = letters.IndexOfAny(['c', 'r', 'u', 'A']) >= 0 || CommandLine.HasAny(argv, "--create", "--append", "--update", "--catenate", "--concatenate");
        var archive = CommandLine.Value(argv, "--file") ?? ClusterValue(argv, 'f') ?? OldStyleFile(argv);
        var directory = CommandLine.Value(argv, "-C", "--directory");
        var operands = CommandLine.Operands(argv, first.Length > 0 ? 2 : 1, [.. TarWithValue]);
        // The archive named inside a cluster (-cf out.tar) is not a member.
        if (archive is not null)
            operands.Remove(archive);
        PolicyDecision worst = new(Tier.Green, $"{subject} reads inside the project", "bash.read-only");
        if (archive is not null && archive != "-")
            worst = PolicyDecision.Worst(worst, create ? judge.JudgeWrite(archive, subject) : judge.JudgeRead(archive, subject));
        // Members are read (create) or written (extract) relative to -C.
        judge.InDirectory(directory, () =>
        {
            if (extract)
                worst = PolicyDecision.Worst(worst, judge.JudgeWrite(".", subject));
            foreach (var operand in operands)
                worst = PolicyDecision.Worst(worst, extract ? judge.JudgeWrite(operand, subject) : judge.JudgeRead(operand, subject));
            return worst;
        });
        return worst;
    }

    /// <summary>The value of a short option given inside a cluster (-cf out.tar, -xfout.tar) or alone (-f out.tar).</summary>
    private static string? ClusterValue(IReadOnlyList<string> argv, char option)
    {
        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
                break;
            if (arg.Length < 2 || arg[0] != '-' || arg[1] == '-')
                continue;
            var at = arg.IndexOf(option, 1);
            if (at > 0)
                return at + 1 < arg.Length ? arg[(at + 1)..] : i + 1 < argv.Count ? argv[i + 1] : null;
            // Options that take a value end the cluster and swallow the next word.
            if (TarWithValue.Contains(arg))
                i++;
        }
        return null;
    }

    private static string? OldStyleFile(IReadOnlyList<string> argv) =>
        argv.Count > 2 && !argv[1].StartsWith('-') && argv[1].Contains('f', StringComparison.Ordinal) ? argv[2] : null;

    private PolicyDecision Zip(IReadOnlyList<string> argv, string subject)
    {
        if (argv.Skip(1).Any(a => a is "-TT" or "--unzip-command" || a.StartsWith("--unzip-command=", StringComparison.Ordinal) || a.StartsWith("-TT", StringComparison.Ordinal)))
            return PolicyDecision.RunsProgram(subject, "zip -TT runs the program it names to test the archive");
        var operands = CommandLine.Operands(argv, 1, "-b", "-n", "-t", "-tt", "-x", "-i", "-O", "--out", "-P", "--password", "-Z", "-s", "-sp");
        PolicyDecision worst = new(Tier.Green, $"{subject} reads inside the project", "bash.read-only");
        if (CommandLine.Value(argv, "-O", "--out") is { } output)
            worst = PolicyDecision.Worst(worst, judge.JudgeWrite(output, subject));
        for (var i = 0; i < operands.Count; i++)
            worst = PolicyDecision.Worst(worst, i == 0 ? judge.JudgeWrite(operands[i], subject) : judge.JudgeRead(operands[i], subject));
        return worst;
    }

    private PolicyDecision Unzip(IReadOnlyList<string> argv, string subject)
    {
        // -l, -v, -t, -z, -Z, -p only list, test or print; -d's value is a path, not flags.
        var listing = argv.Skip(1).Any(a => a.Length >= 2 && a[0] == '-' && a[1] is not ('-' or 'd') && a.Skip(1).All(char.IsAsciiLetter) && a.IndexOfAny(['l', 'v', 't', 'z', 'Z', 'p']) > 0);
        string? directory = null;
        for (var i = 1; i < argv.Count; i++)
        {
            if (argv[i] == "-d" && i + 1 < argv.Count)
                directory = argv[i + 1];
            else if (argv[i].StartsWith("-d", StringComparison.Ordinal) && argv[i].Length > 2)
                directory = argv[i][2..];
        }
        var operands = CommandLine.Operands(argv, 1, "-d", "-x", "-P");
        PolicyDecision worst = new(Tier.Green, $"{subject} reads inside the project", "bash.read-only");
        if (operands.Count > 0)
            worst = PolicyDecision.Worst(worst, judge.JudgeRead(operands[0], subject));
        if (!listing && operands.Count > 0)
            worst = PolicyDecision.Worst(worst, judge.JudgeWrite(directory ?? ".", subject));
        return worst;
    }
}
