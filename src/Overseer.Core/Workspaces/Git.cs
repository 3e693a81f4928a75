using System.Diagnostics;
using System.Text;

namespace Overseer.Core.Workspaces;

/// <summary>Runs the <c>git</c> CLI with argv (never a shell string) and collects what it printed.</summary>
public static class Git
{
    public static async Task<GitResult> RunAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Never stop to ask a person at a terminal that is not there.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_EDITOR"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> RunCheckedAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = args.ToList();
        var result = await RunAsync(workingDirectory, list, cancellationToken, environment);
        if (result.ExitCode != 0)
            throw new GitException($"git {string.Join(' ', list)} failed ({result.ExitCode}): {result.Error.Trim()}");
        return result.Output;
    }

    /// <summary>True when <paramref name="directory"/> is the top of a git work tree with at least one commit.</summary>
    public static async Task<bool> IsRepositoryAsync(string directory, CancellationToken cancellationToken)
    {
        var top = await RunAsync(directory, ["rev-parse", "--show-toplevel"], cancellationToken);
        if (top.ExitCode != 0)
            return false;
        var head = await RunAsync(directory, ["rev-parse", "--verify", "HEAD"], cancellationToken);
        return head.ExitCode == 0;
    }
}

public sealed record GitResult(int ExitCode, string Output, string Error);

public sealed class GitException(string message) : Exception(message);
