using System.Diagnostics;

namespace Overseer.TestKit;

/// <summary>Makes and inspects real git repositories for tests, with the git CLI.</summary>
public static class GitRepo
{
    public static async Task<string> RunAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "user.name=Test", "-c", "user.email=test@localhost", "-c", "init.defaultBranch=main" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    /// <summary>A repository with one commit holding <c>README.md</c>.</summary>
    public static async Task InitAsync(string directory)
    {
        await RunAsync(directory, "init", "-q");
        await File.WriteAllTextAsync(Path.Combine(directory, "README.md"), "# Project\n");
        await RunAsync(directory, "add", "-A");
        await RunAsync(directory, "commit", "-q", "-m", "first");
    }

    public static async Task CommitAllAsync(string directory, string message)
    {
        await RunAsync(directory, "add", "-A");
        await RunAsync(directory, "commit", "-q", "-m", message);
    }
}
