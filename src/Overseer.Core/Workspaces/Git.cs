using System.Diagnostics;
using System.Text;

namespace Overseer.Core.Workspaces;

/// <summary>
/// Runs the <c>git</c> CLI with argv (never a shell string) and collects what it printed. Every call
/// runs in <see cref="GitSandbox"/>: no program the repository names (hook, filter, driver, editor,
/// pager, helper) runs, and none of the server's environment reaches git.
/// </summary>
public static class Git
{
    /// <summary>
    /// The commands Overseer runs, all built in. Git never lets an alias stand for a built-in
    /// command, so a repository's <c>alias.*</c> can never be what runs; a new command is added here
    /// only if it is built in too.
    /// </summary>
    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal)
    {
        "rev-parse", "config", "add", "write-tree", "diff", "worktree", "commit", "merge", "ls-files", "branch",
    };

    /// <summary>Commands that read no attributes and start no driver, so the repository's driver names need not be looked up first.</summary>
    private static readonly HashSet<string> NoDrivers = new(StringComparer.Ordinal) { "rev-parse", "config" };

    /// <summary>
    /// Commands that run <c>git status</c> inside each checked-out submodule to see whether it is
    /// dirty. That git reads the submodule's own config, whose drivers must be emptied too.
    /// </summary>
    private static readonly HashSet<string> LookIntoSubmodules = new(StringComparer.Ordinal) { "add", "commit", "merge" };

    /// <summary>
    /// Runs git; with <paramref name="maxOutputChars"/> stdout stops being read past that many
    /// characters and git is stopped (the result says <see cref="GitResult.Truncated"/>), so a
    /// huge diff costs no more memory than the cap.
    /// </summary>
    public static async Task<GitResult> RunAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null, int? maxOutputChars = null)
    {
        var list = args.ToList();
        var command = CommandIndex(list);
        IEnumerable<KeyValuePair<string, string>> config = GitSandbox.FixedConfig;
        if (!NoDrivers.Contains(list[command]))
        {
            // Reading config runs nothing. The names are read again for every call, as close to it
            // as possible, because an agent working at the same time can add a driver at any moment.
            var names = new List<string>();
            if (await CollectConfigNamesAsync(workingDirectory, environment, LookIntoSubmodules.Contains(list[command]), names, cancellationToken) is { } failed)
                return failed;
            config = [.. config, .. GitSandbox.OverridesFor(names)];
        }
        // Config turns external diffs and textconv into failures; the flags keep them from being looked up at all.
        if (list[command] == "diff")
            list.InsertRange(command + 1, ["--no-ext-diff", "--no-textconv"]);
        return await RunProcessAsync(workingDirectory, list, config, environment, cancellationToken, maxOutputChars);
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

    /// <summary>
    /// Adds the name of every config key of the repository in <paramref name="directory"/> (included
    /// files followed) and, when asked, of each checked-out submodule, nested ones too. Returns the
    /// failure when the repository's own config cannot be read.
    /// </summary>
    private static async Task<GitResult?> CollectConfigNamesAsync(string directory, IReadOnlyDictionary<string, string>? environment, bool submodules, List<string> names, CancellationToken cancellationToken)
    {
        var config = await RunProcessAsync(directory, ["config", "--list", "--name-only", "-z"], GitSandbox.FixedConfig, environment, cancellationToken);
        if (config.ExitCode != 0)
            return config;
        names.AddRange(config.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries));
        if (!submodules)
            return null;
        // The index alone lists the submodules (mode 160000), whether .gitmodules names them or not.
        var index = await RunProcessAsync(directory, ["ls-files", "--stage", "-z"], GitSandbox.FixedConfig, environment, cancellationToken);
        if (index.ExitCode != 0)
            return index;
        foreach (var entry in index.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!entry.StartsWith("160000 ", StringComparison.Ordinal))
                continue;
            var submodule = Path.Combine(directory, entry[(entry.IndexOf('\t', StringComparison.Ordinal) + 1)..]);
            // A submodule whose config cannot be read fails in git too, before any driver runs.
            if (Path.Exists(Path.Combine(submodule, ".git")))
                await CollectConfigNamesAsync(submodule, null, submodules: true, names, cancellationToken);
        }
        return null;
    }

    /// <summary>The process a call starts: <c>git --no-pager &lt;args&gt;</c> with exactly the sandbox's environment.</summary>
    internal static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>> config, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--no-pager");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Environment starts as a copy of the server's: nothing of it may pass.
        start.Environment.Clear();
        foreach (var (key, value) in GitSandbox.Environment(config, environment))
            start.Environment[key] = value;
        return start;
    }

    private static async Task<GitResult> RunProcessAsync(string workingDirectory, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>> config, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, int? maxOutputChars = null)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args, config, environment)) ?? throw new InvalidOperationException("git could not be started.");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (maxOutputChars is not { } max)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new GitResult(process.ExitCode, await stdout, await stderr);
        }
        var (output, truncated) = await ReadBoundedAsync(process.StandardOutput, max, cancellationToken);
        if (truncated)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken);
        return new GitResult(truncated ? 0 : process.ExitCode, output, await stderr, truncated);
    }

    private static async Task<(string Text, bool Truncated)> ReadBoundedAsync(StreamReader reader, int max, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > max)
            {
                text.Append(buffer, 0, max - text.Length);
                // Never half a character: the cut text must stay valid Unicode (it is sent as JSON).
                if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
                    text.Length--;
                return (text.ToString(), true);
            }
            text.Append(buffer, 0, read);
        }
        return (text.ToString(), false);
    }

    /// <summary>Where the command is in <paramref name="args"/>: only <c>-c name=value</c> may come before it.</summary>
    private static int CommandIndex(List<string> args)
    {
        var i = 0;
        while (i < args.Count && args[i] == "-c")
            i += 2;
        if (i >= args.Count || !Commands.Contains(args[i]))
            throw new ArgumentException($"Overseer runs only the built-in git commands {string.Join(", ", Commands)}; got: {string.Join(' ', args)}", nameof(args));
        return i;
    }
}

/// <summary>What git printed; <see cref="Truncated"/> when stdout was cut at the caller's cap (git was stopped there).</summary>
public sealed record GitResult(int ExitCode, string Output, string Error, bool Truncated = false);

public sealed class GitException(string message) : Exception(message);
