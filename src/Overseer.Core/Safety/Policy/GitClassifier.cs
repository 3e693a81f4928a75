namespace Overseer.Core.Safety.Policy;

/// <summary>
/// git by subcommand: inspection is GREEN, local history changes YELLOW, the network ORANGE, and what discards work or
/// rewrites a remote (force push, reset --hard, clean -f, branch -D) RED. Unknown subcommands may be aliases: ORANGE.
/// </summary>
internal sealed class GitClassifier(PathJudge judge)
{
    private static readonly HashSet<string> ReadOnly =
        ["status", "log", "diff", "show", "rev-parse", "ls-files", "blame", "shortlog", "describe", "grep", "ls-tree", "cat-file", "whatchanged", "help", "version", "rev-list", "show-ref", "name-rev", "merge-base", "count-objects"];

    private static readonly HashSet<string> Local =
        ["add", "commit", "checkout", "switch", "merge", "rebase", "restore", "cherry-pick", "revert", "mv", "rm", "init", "am", "apply", "notes", "bisect", "stage", "sparse-checkout", "worktree", "reset", "tag", "remote", "stash", "branch", "clean", "config", "format-patch", "bundle", "read-tree", "checkout-index", "difftool", "mergetool"];

    private static readonly HashSet<string> NetworkCommands = ["push", "fetch", "pull", "clone", "ls-remote", "submodule", "send-email", "archive", "request-pull"];

    private static readonly HashSet<string> HistoryRewrite = ["filter-branch", "filter-repo", "update-ref", "prune", "gc", "reflog"];

    public PolicyDecision Classify(IReadOnlyList<string> argv, string subject) => Classify(argv, 1, subject);

    private PolicyDecision Classify(IReadOnlyList<string> argv, int i, string subject)
    {
        PolicyDecision? worst = null;
        for (; i < argv.Count && argv[i].StartsWith('-'); i++)
        {
            var option = argv[i];
            if (option == "-C" && i + 1 < argv.Count)
            {
                // Everything after -C happens in that directory: judge the rest from there.
                var directory = argv[i + 1];
                var moved = MovesOutside(directory, subject);
                var there = judge.InDirectory(directory, () => Classify(argv, i + 2, subject));
                return PolicyDecision.Worst(PolicyDecision.Worst(worst, moved), there);
            }
            else if (option == "-c" || option.StartsWith("--config-env", StringComparison.Ordinal) || option.StartsWith("--exec-path", StringComparison.Ordinal))
            {
                // Configuration can make git run anything (core.pager, core.sshCommand, aliases).
                worst = PolicyDecision.Worst(worst, new PolicyDecision(Tier.Orange, $"{subject} overrides git configuration, which can run commands", "bash.git-config"));
                i += option == "-c" ? 1 : 0;
            }
            else if (option.StartsWith("--git-dir=", StringComparison.Ordinal) || option.StartsWith("--work-tree=", StringComparison.Ordinal))
                worst = PolicyDecision.Worst(worst, MovesOutside(option[(option.IndexOf('=', StringComparison.Ordinal) + 1)..], subject));
        }
        if (i >= argv.Count)
            return worst ?? Green(subject);
        var sub = argv[i];
        var rest = argv.Skip(i).ToList();
        var verdict = Subcommand(sub, rest, subject);
        foreach (var output in rest.Where(a => a.StartsWith("--output=", StringComparison.Ordinal)))
            verdict = PolicyDecision.Worst(verdict, judge.JudgeWrite(output["--output=".Length..], subject));
        worst = PolicyDecision.Worst(worst, verdict);
        return new GitOptions(judge).Judge(sub, rest, subject) is { } options ? PolicyDecision.Worst(worst, options) : worst;
    }

    private PolicyDecision Subcommand(string sub, List<string> rest, string subject)
    {
        var operands = CommandLine.Operands(rest);
        if (sub == "grep" && CommandLine.HasAny(rest, "-O", "--open-files-in-pager"))
            return PolicyDecision.RunsProgram(subject, "git grep -O opens the matches with a program named on the command line");
        if (ReadOnly.Contains(sub))
        {
            PolicyDecision verdict = Green(subject);
            foreach (var path in operands.Where(o => o.StartsWith('/') || o.StartsWith("..", StringComparison.Ordinal)))
                verdict = PolicyDecision.Worst(verdict, judge.JudgeRead(path, subject));
            return verdict;
        }
        if (NetworkCommands.Contains(sub))
        {
            if (sub == "clone" && operands.Count > 0)
            {
                // The new repository is written where the last operand (or the URL's last segment) says.
                var target = operands.Count > 1 ? operands[^1] : Path.GetFileNameWithoutExtension(operands[0].TrimEnd('/'));
                return PolicyDecision.Worst(new PolicyDecision(Tier.Orange, $"{subject} talks to a remote repository", "bash.git-network"), judge.JudgeWrite(target, subject));
            }
            if (sub == "archive" && !CommandLine.HasFlag(rest, "--remote"))
                return Green(subject);
            if (sub == "push" && (CommandLine.HasAny(rest, "-f", "--force", "--force-with-lease", "--force-if-includes", "--mirror", "--delete", "-d", "--prune")
                || operands.Any(o => o.StartsWith('+') || o.StartsWith(':'))))
                return new PolicyDecision(Tier.Red, $"{subject} force-pushes or deletes remote history", "bash.git-push-force");
            return new PolicyDecision(Tier.Orange, $"{subject} talks to a remote repository", "bash.git-network");
        }
        if (HistoryRewrite.Contains(sub))
        {
            if (sub == "reflog" && (operands.Count == 0 || operands[0] == "show"))
                return Green(subject);
            return new PolicyDecision(Tier.Red, $"{subject} rewrites or discards history", "bash.git-history");
        }
        if (!Local.Contains(sub))
            return new PolicyDecision(Tier.Orange, $"{subject}: '{sub}' is not a git command the policy knows (it may be an alias)", "bash.git-unknown");
        return sub switch
        {
            "reset" when CommandLine.HasFlag(rest, "--hard") => Red(subject, "discards uncommitted work", "bash.git-reset-hard"),
            "checkout" or "restore" or "switch" or "read-tree" or "checkout-index" when GitOptions.Discards(sub, rest, operands, judge) =>
                Red(subject, "overwrites uncommitted changes in the working tree; they cannot be recovered", "bash.git-discard"),
            "clean" when CommandLine.HasAny(rest, "-n", "--dry-run") => Green(subject),
            "clean" when CommandLine.HasAny(rest, "-f", "--force") => Red(subject, "deletes untracked files", "bash.git-clean"),
            "branch" when CommandLine.HasFlag(rest, "-D") || (CommandLine.HasAny(rest, "-d", "--delete") && CommandLine.HasAny(rest, "-f", "--force")) =>
                Red(subject, "deletes a branch even if it is not merged", "bash.git-branch-force-delete"),
            "branch" or "tag" when operands.Count == 0 && !CommandLine.HasAny(rest, "-d", "--delete", "-m", "-M", "-c", "-C", "-u", "--set-upstream-to", "--unset-upstream") => Green(subject),
            "remote" when operands.Count == 0 || operands[0] is "show" or "get-url" => Green(subject),
            "remote" when operands[0] is "update" or "prune" => new PolicyDecision(Tier.Orange, $"{subject} talks to a remote repository", "bash.git-network"),
            "stash" when operands.Count > 0 && operands[0] is "list" or "show" => Green(subject),
            "stash" when operands.Count > 0 && operands[0] is "drop" or "clear" => Red(subject, "throws stashed work away", "bash.git-stash-drop"),
            "config" when CommandLine.HasAny(rest, "--get", "--get-all", "--get-regexp", "--list", "-l") || operands.Count <= 1 => Green(subject),
            "config" => Red(subject, "writes git configuration, which can make git run programs (core.pager, aliases, hooksPath)", "bash.git-config"),
            "remote" => Red(subject, "writes .git/config, which can make git run programs (a remote's URL can name a transport command)", "bash.git-config"),
            "rebase" or "merge" when CommandLine.HasAny(rest, "-x", "--exec") => new PolicyDecision(Tier.Orange, $"{subject} runs commands", "bash.git-config"),
            _ => new PolicyDecision(Tier.Yellow, $"{subject} changes the repository", "bash.git-local"),
        };
    }

    private PolicyDecision MovesOutside(string directory, string subject)
    {
        var verdict = judge.JudgeRead(directory, subject);
        return verdict.Tier == Tier.Green ? verdict : verdict with { Reason = $"{subject} works on a repository outside the project" };
    }

    private static PolicyDecision Green(string subject) => new(Tier.Green, $"{subject} only inspects the repository", "bash.git-read");

    private static PolicyDecision Red(string subject, string what, string rule) => new(Tier.Red, $"{subject} {what}", rule);
}
