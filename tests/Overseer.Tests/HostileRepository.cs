using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>
/// A project whose repository names a program for every place git can run one: config, included
/// config, hooks in <c>.git/hooks</c> and in <c>core.hooksPath</c>, and <c>.gitattributes</c>.
/// Each program is a marker script that writes <c>&lt;markers&gt;/&lt;vector&gt;</c> with its
/// environment, so a test sees exactly which ran and with what.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // marker scripts are shell scripts
internal sealed class HostileRepository
{
    /// <summary>The hooks git runs around the commands Overseer uses (commit, merge, worktree add, branch -D, gc).</summary>
    private static readonly string[] Hooks =
    [
        "pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "pre-merge-commit", "post-merge",
        "post-checkout", "reference-transaction", "post-index-change", "pre-auto-gc", "post-rewrite",
    ];

    private readonly string _bin;

    private HostileRepository(string directory, string markers, string bin)
    {
        Directory = directory;
        Markers = markers;
        _bin = bin;
    }

    public string Directory { get; }
    public string Markers { get; }

    /// <summary>The vectors whose program ran, by marker name.</summary>
    public IReadOnlyList<string> Ran => System.IO.Directory.EnumerateFiles(Markers).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    public void ClearMarkers()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Markers))
            File.Delete(file);
    }

    /// <summary>
    /// A repository with one commit (README.md, notes.txt, data.proc, extra.inc, .gitattributes sending every file
    /// through filter, diff and merge drivers), then every program planted; nothing has run yet.
    /// </summary>
    public static async Task<HostileRepository> CreateAsync(string projectDir, string scratch)
    {
        var markers = System.IO.Directory.CreateDirectory(Path.Combine(scratch, "markers")).FullName;
        var bin = System.IO.Directory.CreateDirectory(Path.Combine(scratch, "bin")).FullName;
        var repo = new HostileRepository(projectDir, markers, bin);
        await GitRepo.RunAsync(projectDir, "init", "-q");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "README.md"), "# Project\n\nline 1\nline 2\nline 3\nline 4\nline 5\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "notes.txt"), "notes\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "data.proc"), "data\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "extra.inc"), "extra\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, ".gitattributes"), "* filter=x diff=x merge=x\n*.proc filter=p\n*.inc filter=included\n");
        await GitRepo.CommitAllAsync(projectDir, "first");
        await repo.PlantAsync();
        return repo;
    }

    private async Task PlantAsync()
    {
        async Task Set(string key, string value) => await GitRepo.RunAsync(Directory, "config", "--local", key, value);

        await Set("core.fsmonitor", MarkerScript("fsmonitor"));
        var hooksPath = System.IO.Directory.CreateDirectory(Path.Combine(_bin, "hooks")).FullName;
        foreach (var hook in Hooks)
        {
            MarkerScript("hooks-path-" + hook, Path.Combine(hooksPath, hook));
            MarkerScript("git-hooks-" + hook, Path.Combine(Directory, ".git", "hooks", hook));
        }
        await Set("core.hooksPath", hooksPath);
        await Set("core.pager", MarkerScript("core-pager"));
        await Set("pager.diff", MarkerScript("pager-diff"));
        await Set("core.editor", MarkerScript("core-editor"));
        await Set("sequence.editor", MarkerScript("sequence-editor"));
        await Set("core.sshCommand", MarkerScript("core-ssh-command"));
        await Set("core.askPass", MarkerScript("core-askpass"));
        await Set("diff.external", MarkerScript("diff-external"));
        await Set("diff.x.textconv", MarkerScript("diff-textconv"));
        await Set("diff.x.command", MarkerScript("diff-command"));
        await Set("filter.x.clean", MarkerScript("filter-clean"));
        await Set("filter.x.smudge", MarkerScript("filter-smudge"));
        await Set("filter.x.required", "true");
        await Set("filter.p.process", MarkerScript("filter-process"));
        await Set("merge.x.driver", MarkerScript("merge-driver") + " %O %A %B");
        await Set("credential.helper", MarkerScript("credential-helper"));
        await Set("gpg.program", MarkerScript("gpg-program"));
        await Set("commit.gpgSign", "true");
        await Set("merge.verifySignatures", "true");
        await Set("user.signingKey", "overseer-test");
        foreach (var command in new[] { "add", "commit", "merge", "diff", "worktree", "branch", "status", "st" })
            await Set("alias." + command, "!" + MarkerScript("alias-" + command));
        // A driver defined only in an included file: the overrides must find it too.
        var included = Path.Combine(_bin, "included.gitconfig");
        await File.WriteAllTextAsync(included, $"[filter \"included\"]\n\tclean = {MarkerScript("included-filter-clean")}\n\tsmudge = {MarkerScript("included-filter-smudge")}\n");
        await Set("include.path", included);
    }

    /// <summary>A marker script for <paramref name="vector"/>: records that it ran and its environment; as a filter it passes the content through.</summary>
    public string MarkerScript(string vector, string? path = null)
    {
        path ??= Path.Combine(_bin, vector);
        File.WriteAllText(path, $"#!/bin/sh\nenv > '{Path.Combine(Markers, vector)}'\n[ $# -eq 0 ] && exec cat\nexit 0\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
