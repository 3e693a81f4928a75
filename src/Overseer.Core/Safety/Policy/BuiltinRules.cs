namespace Overseer.Core.Safety.Policy;

/// <summary>The shipped behaviour described as rules, for <c>GET /api/policy</c>; the classifiers are what enforce it.</summary>
public static class BuiltinRules
{
    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        R("builtin.data-dir", "*", Tier.Black, "any access to Overseer's data directory (cannot be lowered)"),
        R("bash.rm-root", "Bash", Tier.Black, "recursive delete of /, /*, a system directory or the home directory (cannot be lowered)", ["rm"], ["-r"]),
        R("bash.mkfs", "Bash", Tier.Black, "mkfs*, mke2fs, mkswap, wipefs (cannot be lowered)", ["mkfs*"]),
        R("bash.dd-device", "Bash", Tier.Black, "dd of=/dev/<block device> (cannot be lowered)", ["dd"]),
        R("bash.device-write", "Bash", Tier.Black, "redirect or write to /dev/sd*, /dev/nvme*, /dev/hd*... (cannot be lowered)"),
        R("bash.fork-bomb", "Bash", Tier.Black, "a function that runs itself concurrently, e.g. :(){ :|:& };: (cannot be lowered)"),
        R("bash.chmod-root", "Bash", Tier.Black, "chmod/chown -R on /, a system directory or home (cannot be lowered)", ["chmod"], ["-R"]),
        R("bash.git-push-force", "Bash", Tier.Red, "git push --force / -f / --force-with-lease / --mirror / --delete", ["git", "push"]),
        R("bash.git-reset-hard", "Bash", Tier.Red, "git reset --hard", ["git", "reset"], ["--hard"]),
        R("bash.git-clean", "Bash", Tier.Red, "git clean -f", ["git", "clean"], ["-f"]),
        R("bash.git-branch-force-delete", "Bash", Tier.Red, "git branch -D", ["git", "branch"], ["-D"]),
        R("bash.git-history", "Bash", Tier.Red, "git filter-branch, update-ref, gc, prune, reflog expire"),
        R("bash.rm-recursive", "Bash", Tier.Red, "recursive delete anywhere (rm -r, find -delete)", ["rm"], ["-r"]),
        R("bash.write-outside", "Bash", Tier.Red, "writes outside the project (redirects, tee, cp, mv, touch...)"),
        R("bash.sudo", "Bash", Tier.Red, "sudo, su, doas, pkexec, chroot", ["sudo"]),
        R("bash.chmod-recursive", "Bash", Tier.Red, "recursive chmod/chown/chgrp", ["chmod"], ["-R"]),
        R("bash.kill", "Bash", Tier.Red, "kill, pkill, killall, shutdown, reboot"),
        R("bash.dd", "Bash", Tier.Red, "dd not to a device", ["dd"]),
        R("bash.disk", "Bash", Tier.Red, "fdisk, parted, shred, blkdiscard"),
        R("builtin.edit-outside", "Edit", Tier.Red, "Edit/Write/MultiEdit/NotebookEdit outside the project"),
        R("bash.network", "Bash", Tier.Orange, "curl, wget, ssh, scp, rsync, nc, socat, npx..."),
        R("bash.git-network", "Bash", Tier.Orange, "git push (no force), fetch, pull, clone, submodule", ["git"]),
        R("bash.package", "Bash", Tier.Orange, "npm/pip/gem/cargo/go install and publish"),
        R("bash.system", "Bash", Tier.Orange, "apt, yum, brew, docker, kubectl, systemctl, crontab..."),
        R("bash.rg-pre", "Bash", Tier.Orange, "rg --pre / --pre-glob runs programs (CVE-2025-58764)", ["rg"], ["--pre"]),
        R("bash.find-exec", "Bash", Tier.Orange, "find -exec/-execdir/-ok (the command is judged too)", ["find"], ["-exec"]),
        R("bash.sed-exec", "Bash", Tier.Orange, "sed scripts with e/w commands or s///e", ["sed"]),
        R("bash.read-outside", "Bash", Tier.Orange, "reads outside the project or of paths known only at run time"),
        R("bash.cd-outside", "Bash", Tier.Orange, "cd out of the project", ["cd"]),
        R("bash.env-override", "Bash", Tier.Orange, "setting PATH, LD_PRELOAD, BASH_ENV, GIT_* and similar"),
        R("bash.git-config", "Bash", Tier.Orange, "git -c, git config writes, rebase --exec", ["git"]),
        R("bash.shell-stdin", "Bash", Tier.Orange, "a shell reading piped input (curl ... | sh)", ["sh"]),
        R("bash.script", "Bash", Tier.Orange, "running a script (bash x.sh, source, ./x)"),
        R("bash.unknown", "Bash", Tier.Orange, "commands the policy does not know"),
        R("bash.unparseable", "Bash", Tier.Orange, "command lines that cannot be parsed completely"),
        R("builtin.read-outside", "Read", Tier.Orange, "Read/Glob/Grep/LS outside the project"),
        R("builtin.web", "WebFetch", Tier.Orange, "WebFetch/WebSearch to hosts not on the URL allow-list"),
        R("builtin.mcp", "mcp__*", Tier.Orange, "MCP tools"),
        R("builtin.unknown-tool", "*", Tier.Orange, "tools the policy does not know"),
        R("bash.write-inside", "Bash", Tier.Yellow, "touch, mkdir, cp, mv, ln, rm, sed -i, tee, redirects inside the project"),
        R("bash.git-local", "Bash", Tier.Yellow, "git add, commit, checkout, switch, stash, merge, rebase, restore, branch -d", ["git"]),
        R("bash.build", "Bash", Tier.Yellow, "dotnet build/test, npm test/run, make, cargo build/test, go build/test, pytest"),
        R("builtin.edit", "Edit", Tier.Yellow, "Edit/Write/MultiEdit/NotebookEdit inside the project"),
        R("builtin.web-allowed", "WebFetch", Tier.Yellow, "WebFetch to a host on the URL allow-list"),
        R("bash.read-only", "Bash", Tier.Green, "read-only commands (ls, cat, grep, rg, find, echo, jq...) on paths inside the project"),
        R("bash.git-read", "Bash", Tier.Green, "git status, log, diff, show, branch (list), rev-parse, ls-files, blame", ["git"]),
        R("builtin.read", "Read", Tier.Green, "Read/Glob/Grep/LS/NotebookRead inside the project"),
        R("builtin.session", "TodoWrite", Tier.Green, "TodoWrite, Task, AskUserQuestion, ExitPlanMode, BashOutput, KillShell"),
    ];

    private static PolicyRule R(string id, string tool, Tier tier, string reason, string[]? command = null, string[]? flags = null) =>
        new(id, tool, tier, reason) { Command = command, Flags = flags, BuiltIn = true };
}
