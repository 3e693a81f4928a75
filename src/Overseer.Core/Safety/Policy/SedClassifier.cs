using System.Text.RegularExpressions;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// sed: its scripts are programs. GNU sed's <c>e</c> command and <c>s///e</c> run shell commands, <c>r</c>/<c>R</c> read any
/// file, <c>w</c>/<c>W</c> and <c>s///w</c> write any file, and a script read from a file (<c>-f</c>) cannot be seen at all.
/// </summary>
internal sealed partial class SedClassifier(PathJudge judge)
{
    public PolicyDecision Classify(IReadOnlyList<string> argv, string subject)
    {
        var scripts = new List<string>();
        var scriptFiles = new List<string>();
        var operands = new List<string>();
        var inPlace = false;
        var sandbox = false;
        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                operands.AddRange(argv.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
                if (name is "--expression" or "--file" or "--line-length")
                    value ??= i + 1 < argv.Count ? argv[++i] : "";
                if (name == "--expression")
                    scripts.Add(value!);
                else if (name == "--file")
                    scriptFiles.Add(value!);
                inPlace |= name == "--in-place";
                sandbox |= name == "--sandbox";
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                // A cluster such as -ne 'p' or -i.bak: e, f and l take a value (the rest of the cluster or the next word), i a suffix.
                for (var j = 1; j < arg.Length; j++)
                {
                    var letter = arg[j];
                    if (letter == 'i')
                    {
                        inPlace = true;
                        break;
                    }
                    if (letter is 'e' or 'f' or 'l')
                    {
                        var value = j + 1 < arg.Length ? arg[(j + 1)..] : i + 1 < argv.Count ? argv[++i] : "";
                        if (letter == 'e')
                            scripts.Add(value);
                        else if (letter == 'f')
                            scriptFiles.Add(value);
                        break;
                    }
                }
                continue;
            }
            operands.Add(arg);
        }
        if (scripts.Count == 0 && scriptFiles.Count == 0 && operands.Count > 0)
        {
            scripts.Add(operands[0]);
            operands.RemoveAt(0);
        }
        PolicyDecision worst = inPlace
            ? new PolicyDecision(Tier.Yellow, $"{subject} changes files in place", "bash.write-inside")
            : new PolicyDecision(Tier.Green, $"{subject} reads inside the project", "bash.read-only");
        foreach (var operand in operands)
            worst = PolicyDecision.Worst(worst, inPlace ? judge.JudgeWrite(operand, subject) : judge.JudgeRead(operand, subject));
        foreach (var file in scriptFiles)
        {
            if (!sandbox)
                worst = PolicyDecision.Worst(worst, new PolicyDecision(Tier.Orange, $"{subject} runs a sed script from a file ({file}), which may run commands or read and write any file", "bash.sed-exec"));
            if (file is not ("-" or "/dev/stdin"))
                worst = PolicyDecision.Worst(worst, judge.JudgeRead(file, subject));
        }
        if (!sandbox)
        {
            foreach (var script in scripts)
            {
                if (JudgeScript(script, subject) is { } verdict)
                    worst = PolicyDecision.Worst(worst, verdict);
            }
        }
        return worst;
    }

    private PolicyDecision? JudgeScript(string script, string subject)
    {
        if (Executes().IsMatch(script) || SubstituteExecutes().IsMatch(script))
            return new PolicyDecision(Tier.Orange, $"{subject}: the sed script runs commands (e, s///e)", "bash.sed-exec");
        PolicyDecision? worst = null;
        foreach (Match match in FileCommand().Matches(script))
        {
            var file = match.Groups["file"].Value.Trim();
            var verdict = match.Groups["cmd"].Value is "r" or "R" ? judge.JudgeRead(file, subject) : judge.JudgeWrite(file, subject);
            worst = PolicyDecision.Worst(worst, verdict);
        }
        foreach (Match match in SubstituteWrites().Matches(script))
            worst = PolicyDecision.Worst(worst, judge.JudgeWrite(match.Groups["file"].Value.Trim(), subject));
        return worst;
    }

    // An address (line, $, /regex/, first~step) or a range, optional !, then the command letter.
    private const string Address = @"(?:\d+(?:~\d+)?|\$|/(?:[^/\\\n]|\\.)*/[IM]*|\\(?<d>.)(?:(?!\k<d>).)*\k<d>[IM]*)";

    [GeneratedRegex(@"(?:^|[;\n{}])\s*(?:" + Address + @"(?:\s*,\s*(?:" + Address + @"|[+~]\d+))?)?\s*!?\s*e(?:\s|;|$)")]
    private static partial Regex Executes();

    [GeneratedRegex(@"s(.)(?:(?!\1).|\\.)*\1(?:(?!\1).|\\.)*\1[gpiImM0-9w]*e")]
    private static partial Regex SubstituteExecutes();

    [GeneratedRegex(@"(?:^|[;\n{}])\s*(?:" + Address + @"(?:\s*,\s*(?:" + Address + @"|[+~]\d+))?)?\s*!?\s*(?<cmd>[rRwW])\s*(?<file>[^\n]+)")]
    private static partial Regex FileCommand();

    [GeneratedRegex(@"s(.)(?:(?!\1).|\\.)*\1(?:(?!\1).|\\.)*\1[gpiImMe0-9]*w\s*(?<file>[^\n]+)")]
    private static partial Regex SubstituteWrites();
}
