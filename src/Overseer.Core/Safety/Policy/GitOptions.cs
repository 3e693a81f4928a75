namespace Overseer.Core.Safety.Policy;

/// <summary>
/// git options and operands that reach past the repository: files written elsewhere (<c>init dir</c>, <c>worktree add</c>,
/// <c>archive -o</c>, <c>format-patch -o</c>, <c>bundle create</c>), files read from elsewhere (<c>blame --contents</c>),
/// programs run (<c>grep -O</c>, <c>difftool -x</c>, <c>bisect run</c>), and commands that throw uncommitted work away.
/// </summary>
internal sealed class GitOptions(PathJudge judge)
{
    public PolicyDecision? Judge(string sub, List<string> rest, string subject)
    {
        var operands = CommandLine.Operands(rest, 1, "-o", "-O", "-m", "-b", "-B", "-s", "--source", "--contents", "--output", "--output-directory", "-x", "--extcmd", "-t", "--tool");
        PolicyDecision? worst = null;
        void Add(PolicyDecision? verdict)
        {
            if (verdict is not null)
                worst = PolicyDecision.Worst(worst, verdict);
        }
        switch (sub)
        {
            case "blame" when CommandLine.Value(rest, "--contents") is { } contents:
                Add(judge.JudgeRead(contents, subject));
                break;
            case "init":
                Add(judge.JudgeWrite(operands.Count > 0 ? operands[0] : ".", subject));
                if (CommandLine.HasFlag(rest, "--template") || CommandLine.HasFlag(rest, "--separate-git-dir"))
                    Add(new PolicyDecision(Tier.Red, $"{subject} copies hooks from a template or puts the repository elsewhere", "protected.git-hooks"));
                break;
            case "worktree" when operands.Count > 1 && operands[0] == "add":
                Add(judge.JudgeWrite(operands[1], subject));
                break;
            case "archive" or "format-patch" when CommandLine.Value(rest, "-o", "--output", "--output-directory") is { } output:
                Add(judge.JudgeWrite(output, subject));
                break;
            case "bundle" when operands.Count > 1 && operands[0] == "create":
                Add(judge.JudgeWrite(operands[1], subject));
                break;
            case "commit" or "tag" or "notes" when CommandLine.Value(rest, "-F", "--file") is { } messageFile && messageFile != "-":
                Add(judge.JudgeRead(messageFile, subject));
                break;
            case "apply" when CommandLine.HasFlag(rest, "--unsafe-paths"):
                Add(new PolicyDecision(Tier.Red, $"{subject}: git apply --unsafe-paths may write outside the repository", "bash.write-outside"));
                break;
            case "apply" or "am":
                foreach (var patch in operands)
                    Add(judge.JudgeRead(patch, subject));
                break;
            case "difftool" or "mergetool":
                Add(PolicyDecision.RunsProgram(subject, $"git {sub} runs a diff or merge program"));
                break;
            case "bisect" when operands.Count > 0 && operands[0] == "run":
                Add(PolicyDecision.RunsProgram(subject, "git bisect run runs a program at every step"));
                break;
        }
        return worst;
    }

    /// <summary>True when the command overwrites working-tree files from the index or a commit without saving what was there.</summary>
    public static bool Discards(string sub, List<string> rest, List<string> operands, PathJudge judge) => sub switch
    {
        "checkout" => CommandLine.HasAny(rest, "-f", "--force")
            || (!CommandLine.HasAny(rest, "-b", "-B", "--orphan") && (rest.Contains("--") || operands.Any(o => Exists(judge, o)))),
        "restore" => !CommandLine.HasAny(rest, "-S", "--staged") || CommandLine.HasAny(rest, "-W", "--worktree"),
        "switch" => CommandLine.HasAny(rest, "-f", "--force", "--discard-changes"),
        "read-tree" => CommandLine.HasFlag(rest, "--reset") || CommandLine.HasFlag(rest, "-u"),
        "checkout-index" => CommandLine.HasAny(rest, "-f", "--force"),
        _ => false,
    };

    private static bool Exists(PathJudge judge, string operand) =>
        judge.Resolve(operand) is { } path && (File.Exists(path) || Directory.Exists(path));
}
