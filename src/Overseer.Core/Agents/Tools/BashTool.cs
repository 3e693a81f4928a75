using System.Globalization;
using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// Claude Code's <c>Bash</c>: each command runs as <c>bash -c</c> inside the session's sandbox
/// (bubblewrap, the project's network and limits), with a timeout. The command is one argv
/// element, never pasted into another script; the shell's directory carries over to the next
/// command as Claude Code's does, as long as it stays inside the working directory.
/// </summary>
internal sealed class BashTool : IAgentTool
{
    // Runs the command in the directory the last one ended in, then prints that directory after a
    // marker the command cannot know. A fixed text: everything it works on comes as arguments.
    private const string Script =
        "__o_dir=$1 __o_home=$2 __o_cmd=$3 __o_mark=$4; set --; " +
        "cd -- \"$__o_dir\" 2>/dev/null || cd -- \"$__o_home\" || exit 1; " +
        "eval \"$__o_cmd\"; __o_status=$?; printf '\\n%s%s\\n' \"$__o_mark\" \"$(pwd -P)\"; exit $__o_status";

    public ToolDefinition Definition { get; } = new("Bash",
        "Executes a bash command in the session's sandbox, in the directory the previous command ended in (the working directory at first). " +
        "timeout is in milliseconds (default 120000, at most 600000). Output past 30000 characters is cut. " +
        "Prefer Read, Grep and Glob to cat, grep and find. Commands run in the foreground only.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "command":{"type":"string","description":"The command to execute"},
          "timeout":{"type":"number","description":"Optional timeout in milliseconds (max 600000)"},
          "description":{"type":"string","description":"Clear, concise description of what this command does in 5-10 words"},
          "run_in_background":{"type":"boolean","description":"Not available in this runtime: commands run in the foreground"}},
         "required":["command"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var command = ToolInput.RequiredString(input, "command");
        if (ToolInput.OptionalBool(input, "run_in_background"))
            return ToolOutcome.Error("run_in_background is not available in this runtime: run the command in the foreground, with a timeout if it is long.");
        var limits = context.Limits;
        var timeout = ToolInput.OptionalInteger(input, "timeout") is { } ms
            ? TimeSpan.FromMilliseconds(Math.Clamp(ms, 1000, (long)limits.BashMaxTimeout.TotalMilliseconds))
            : limits.BashDefaultTimeout;
        var marker = "__overseer_cwd_" + Guid.NewGuid().ToString("N") + "=";
        var bash = ExecutableResolver.Find("bash") ?? "/bin/bash";
        var result = await SandboxedCommand.RunAsync(context, bash,
            ["-c", Script, "overseer-bash", context.ShellDirectory, context.Files.WorkingDirectory, command, marker], timeout, cancellationToken);

        var stdout = TakeDirectory(result.Stdout, marker, out var directory);
        var note = "";
        if (directory is not null)
        {
            var resolved = TryResolve(directory);
            if (resolved is not null && PathResolver.IsWithin(resolved, context.Files.WorkingDirectory))
                context.ShellDirectory = resolved;
            else
            {
                context.ShellDirectory = context.Files.WorkingDirectory;
                note = $"\nShell cwd was reset to {context.Files.WorkingDirectory}";
            }
        }
        var output = new StringBuilder(stdout.TrimEnd('\n'));
        if (result.Stderr.Length > 0)
            output.Append(output.Length > 0 ? "\n" : "").Append(result.Stderr.TrimEnd('\n'));
        if (result.Truncated)
            output.Append($"\n\n... [output cut at {limits.MaxOutputChars} characters]");
        output.Append(note);
        if (result.TimedOut)
            return ToolOutcome.Error($"Command timed out after {Describe(timeout)}" + (output.Length > 0 ? "\n" + output : ""));
        if (result.ExitCode != 0)
            return ToolOutcome.Error((output.Length > 0 ? output + "\n" : "") + $"Exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        return new ToolOutcome(output.Length > 0 ? output.ToString() : "(Bash completed with no output)");
    }

    /// <summary>Stdout without the marker line, and the directory the marker reported.</summary>
    private static string TakeDirectory(string stdout, string marker, out string? directory)
    {
        directory = null;
        var at = stdout.LastIndexOf("\n" + marker, StringComparison.Ordinal);
        if (at < 0)
            return stdout;
        var end = stdout.IndexOf('\n', at + 1 + marker.Length);
        directory = stdout[(at + 1 + marker.Length)..(end < 0 ? stdout.Length : end)];
        return stdout[..at];
    }

    private static string? TryResolve(string directory)
    {
        try
        {
            return Path.IsPathRooted(directory) ? PathResolver.Resolve(directory) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalMinutes >= 1 ? $"{(int)timeout.TotalMinutes}m {timeout.Seconds}s" : $"{timeout.TotalSeconds:F0}s";
}
