namespace Overseer.Core.Sandbox;

/// <summary>
/// The bubblewrap argv for one agent: an empty root with the system read-only, a private /tmp,
/// /proc and /dev, the session's home, the project (or worktree) read-write with its git
/// config and hooks read-only, and nothing else of the host: not Overseer's data directory,
/// not the real home, not other projects or other sessions' worktrees.
/// </summary>
internal static class BubblewrapCommand
{
    private static readonly string[] SystemDirectories = ["/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/nix/store"];

    public static List<string> Build(SandboxPlan plan)
    {
        var args = new List<string>
        {
            // The sandbox ends with the agent; its own pid namespace hides (and cannot signal)
            // Overseer and every other session; no capabilities even when the server is root.
            "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--cap-drop", "ALL", "--hostname", "overseer-sandbox",
        };
        if (plan.Network == NetworkAccess.None)
            args.Add("--unshare-net");
        foreach (var directory in SystemDirectories)
            AddSystem(args, directory);
        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run", "--tmpfs", "/home"]);
        // systemd-resolved keeps resolv.conf under /run.
        if (new FileInfo("/etc/resolv.conf").LinkTarget is { } resolv && Path.GetDirectoryName(Path.GetFullPath(resolv, "/etc")) is { } resolvDir && Directory.Exists(resolvDir))
            Add(args, "--ro-bind", resolvDir, resolvDir);
        Add(args, "--bind", plan.Home.HostPath, SandboxHome.MountPoint);
        foreach (var (source, target) in plan.Home.ReadOnlyFiles)
            Add(args, "--ro-bind", source, target);
        foreach (var path in plan.ReadOnlyPaths)
            Add(args, "--ro-bind-try", path, path);
        Add(args, "--bind", plan.WorkingDirectory, plan.WorkingDirectory);
        if (plan.GitDirectory is { } git)
        {
            if (!PathIsWithin(git, plan.WorkingDirectory))
                Add(args, "--bind", git, git);
            if (!plan.GitConfigWritable)
            {
                // Programs the repository's config or hooks name run outside the sandbox, in
                // every git a person or Overseer runs later: the agent may not change them.
                Add(args, "--ro-bind-try", Path.Combine(git, "config"), Path.Combine(git, "config"));
                Add(args, "--ro-bind-try", Path.Combine(git, "hooks"), Path.Combine(git, "hooks"));
            }
        }
        args.AddRange(["--chdir", plan.WorkingDirectory, "--"]);
        return args;
    }

    private static void AddSystem(List<string> args, string directory)
    {
        var info = new DirectoryInfo(directory);
        if (!info.Exists)
            return;
        // Merged-/usr systems link /bin to usr/bin: keep the link rather than a second mount.
        if (info.LinkTarget is { } target)
            Add(args, "--symlink", target, directory);
        else
            Add(args, "--ro-bind", directory, directory);
    }

    private static void Add(List<string> args, string option, string first, string second)
    {
        args.Add(option);
        args.Add(first);
        args.Add(second);
    }

    private static bool PathIsWithin(string path, string directory) =>
        path == directory || path.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal);
}
