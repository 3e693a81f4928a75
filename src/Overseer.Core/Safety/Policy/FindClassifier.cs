namespace Overseer.Core.Safety.Policy;

/// <summary>
/// <c>find</c> reads its start directories, but <c>-delete</c> deletes recursively, <c>-exec</c>/<c>-ok</c> run commands
/// (judged with <c>{}</c> standing for the start directory, and never below ORANGE) and <c>-fprint</c> writes files.
/// </summary>
internal sealed class FindClassifier(PathJudge judge)
{
    public PolicyDecision Classify(IReadOnlyList<string> argv, string subject, Func<IReadOnlyList<string>, int, PolicyDecision> inner, int depth)
    {
        // Options before the starting points: -H -L -P (links), -D debugopts, -Olevel. Skipping them finds the real roots.
        var i = 1;
        while (i < argv.Count && (argv[i] is "-H" or "-L" or "-P" or "-D" || argv[i].StartsWith("-O", StringComparison.Ordinal) || (argv[i].StartsWith("-D", StringComparison.Ordinal) && argv[i].Length > 2)))
            i += argv[i] == "-D" ? 2 : 1;
        var roots = new List<string>();
        while (i < argv.Count && !argv[i].StartsWith('-') && argv[i] is not "(" and not "!")
            roots.Add(argv[i++]);
        if (roots.Count == 0)
            roots.Add(".");
        PolicyDecision? worst = null;
        foreach (var root in roots)
            worst = PolicyDecision.Worst(worst, judge.JudgeRead(root, subject));
        for (; i < argv.Count; i++)
        {
            switch (argv[i])
            {
                case "-delete":
                    foreach (var root in roots)
                        worst = PolicyDecision.Worst(worst, judge.JudgeRecursiveDelete(root, subject));
                    break;
                case "-exec" or "-execdir" or "-ok" or "-okdir":
                    {
                        var command = new List<string>();
                        for (i++; i < argv.Count && argv[i] is not ";" and not "+"; i++)
                            command.Add(argv[i] == "{}" ? roots[0] : argv[i].Replace("{}", roots[0], StringComparison.Ordinal));
                        worst = PolicyDecision.Worst(worst, new PolicyDecision(Tier.Orange, $"{subject} runs a command for every file it finds", "bash.find-exec"));
                        if (command.Count > 0)
                            worst = PolicyDecision.Worst(worst, inner(command, depth + 1));
                        break;
                    }
                case "-fprint" or "-fprint0" or "-fprintf" or "-fls" when i + 1 < argv.Count:
                    worst = PolicyDecision.Worst(worst, judge.JudgeWrite(argv[++i], subject));
                    break;
            }
        }
        return worst!;
    }
}
