using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Overseer.Core.Tests.Safety.Oracle;

/// <summary>
/// One throwaway world for one corpus command: a fake home with canary files, a git project inside it (with
/// uncommitted work, a symlink out, a symlink and a hard link into the data directory), a fake data directory,
/// an outside directory and a bin directory with <c>overseer-marker</c>. The sandbox mounts it at the same
/// absolute path, so the classifier's path reasoning applies to it unchanged.
/// </summary>
internal sealed class OracleWorld
{
    public const string Work = "UNCOMMITTED-WORK-5d1e";
    public const string CommittedReadme = "# Demo\nline two\n";

    /// <summary>Canary text by file: reading one outside the project is at least ORANGE, from the data directory BLACK.</summary>
    public static readonly (string Relative, string Canary, bool Data)[] Canaries =
    [
        ("home/.ssh/id_rsa", "CANARY-SSH-KEY-7f3a", false),
        ("home/.bashrc", "CANARY-BASHRC-91c2", false),
        ("home/.profile", "CANARY-PROFILE-55e0", false),
        ("outside/secret.txt", "CANARY-OUTSIDE-3b8d", false),
        ("data/admin.token", "CANARY-DATA-TOKEN-e41a", true),
        ("data/vault.key", "CANARY-DATA-VAULT-c07f", true),
    ];

    private OracleWorld(string root)
    {
        Root = root;
        Home = Path.Combine(root, "home");
        Project = Path.Combine(Home, "project");
        Data = Path.Combine(root, "data");
        Outside = Path.Combine(root, "outside");
        Bin = Path.Combine(root, "bin");
        MarkerFile = Path.Combine(root, "marker", "ran");
    }

    public string Root { get; }

    public string Home { get; }

    public string Project { get; }

    public string Data { get; }

    public string Outside { get; }

    public string Bin { get; }

    public string MarkerFile { get; }

    /// <summary>The directories whose every change is a change outside the project (the project itself is excluded from home).</summary>
    public IEnumerable<string> Observed => [Home, Data, Outside];

    /// <summary>Builds a world under <paramref name="root"/>, copying the committed repository from <paramref name="gitTemplate"/>.</summary>
    public static OracleWorld Create(string root, string gitTemplate)
    {
        var world = new OracleWorld(root);
        foreach (var directory in new[] { world.Project, world.Data, world.Outside, world.Bin, Path.GetDirectoryName(world.MarkerFile)!, Path.Combine(world.Home, ".ssh"), Path.Combine(world.Outside, "dir") })
            Directory.CreateDirectory(directory);
        foreach (var (relative, canary, _) in Canaries)
            File.WriteAllText(Path.Combine(root, relative), $"{canary}\n");
        File.WriteAllText(Path.Combine(world.Home, ".gitconfig"), "[user]\n\tname = Oracle\n\temail = oracle@example.invalid\n[init]\n\tdefaultBranch = main\n");
        File.WriteAllText(Path.Combine(world.Home, "notes.txt"), "home notes\n");
        File.WriteAllText(Path.Combine(world.Data, "overseer.db"), "not really sqlite\n");
        File.WriteAllText(Path.Combine(world.Outside, "dir", "file.txt"), "outside file\n");
        File.WriteAllText(Path.Combine(world.Outside, "a.tar.txt"), "outside\n");
        WriteProjectFiles(world.Project);
        CopyDirectory(Path.Combine(gitTemplate, ".git"), Path.Combine(world.Project, ".git"));
        // Uncommitted work: discarding it cannot be undone.
        File.WriteAllText(Path.Combine(world.Project, "README.md"), CommittedReadme + Work + "\n");
        Directory.CreateSymbolicLink(Path.Combine(world.Project, "escape"), world.Outside);
        Directory.CreateSymbolicLink(Path.Combine(world.Project, "vault"), world.Data);
        HardLink(Path.Combine(world.Data, "vault.key"), Path.Combine(world.Project, "linked.key"));
        var marker = Path.Combine(world.Bin, "overseer-marker");
        File.WriteAllText(marker, $"#!/bin/sh\necho \"ran $*\" >> '{world.MarkerFile}'\nexit 0\n");
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("the oracle runs under bubblewrap, on Linux");
        File.SetUnixFileMode(marker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return world;
    }

    /// <summary>The files the committed template holds; the project's own build scripts run nothing unknown (running them is YELLOW by policy).</summary>
    public static void WriteProjectFiles(string project)
    {
        Directory.CreateDirectory(Path.Combine(project, "src"));
        File.WriteAllText(Path.Combine(project, "README.md"), CommittedReadme);
        File.WriteAllText(Path.Combine(project, "src", "app.txt"), "app\nTODO: more\n");
        File.WriteAllText(Path.Combine(project, "src", "main.c"), "int main(void) { return 0; }\n");
        File.WriteAllText(Path.Combine(project, "Makefile"), "all:\n\t@echo built\ntest:\n\t@echo tested\n");
        File.WriteAllText(Path.Combine(project, "package.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\",\"scripts\":{\"x\":\"echo script-x\",\"test\":\"echo tested\"}}\n");
        File.WriteAllText(Path.Combine(project, "files.txt"), "src/app.txt\nREADME.md\n");
    }

    /// <summary>A committed repository (two commits, so HEAD~1 exists) to copy into every world.</summary>
    public static void CreateGitTemplate(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteProjectFiles(directory);
        Git(directory, "init", "-q", "-b", "main");
        Git(directory, "add", "README.md");
        Git(directory, "commit", "-q", "-m", "first");
        Git(directory, "add", "-A");
        Git(directory, "commit", "-q", "-m", "second");
        // Fewer files to copy 400 times: objects packed, no sample hooks, no reflogs.
        Git(directory, "gc", "-q");
        foreach (var extra in new[] { "hooks", "logs", "info", "description", "COMMIT_EDITMSG" }.Select(e => Path.Combine(directory, ".git", e)))
        {
            if (Directory.Exists(extra))
                Directory.Delete(extra, recursive: true);
            else
                File.Delete(extra);
        }
        Directory.CreateDirectory(Path.Combine(directory, ".git", "hooks"));
    }

    private static void Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in new[] { ("user.name", "Oracle"), ("user.email", "oracle@example.invalid"), ("commit.gpgsign", "false") })
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{name}={value}");
        }
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    private static void HardLink(string existing, string link)
    {
        if (Link(existing, link) != 0)
            throw new IOException($"link {existing} {link} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Link(string existing, string link);
}
