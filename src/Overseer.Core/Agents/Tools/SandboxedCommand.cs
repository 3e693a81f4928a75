using System.Diagnostics;
using System.Text;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// One command run for a session inside its sandbox, the way the claude-code runtime's CLI is run:
/// argv only, the session's environment without Overseer's own settings, marked so nothing it
/// starts outlives it, started from the launcher thread. Stdout and stderr are kept up to the
/// output limit (the rest is read and dropped); a timeout or a cancellation kills it all.
/// </summary>
internal static class SandboxedCommand
{
    public sealed record Result(string Stdout, string Stderr, int ExitCode, bool TimedOut, bool Truncated);

    public static async Task<Result> RunAsync(ToolContext context, string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = context.Files.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        var env = start.Environment;
        foreach (var key in env.Keys.Where(k => k.StartsWith("OVERSEER", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        foreach (var (key, value) in context.Environment)
            env[key] = value;
        env[OrphanReaper.SessionVariable] = context.SessionId;
        if (context.AgentOwner is not null)
            env[OrphanReaper.OwnerVariable] = context.AgentOwner;

        SandboxedAgent walled;
        try
        {
            walled = context.Sandbox.Wrap(start, executable, arguments, new SandboxRequest(context.SessionId, context.ProjectName, context.Files.WorkingDirectory));
        }
        catch (SandboxUnavailableException ex)
        {
            throw new ToolInputException(ex.Message);
        }
        using var _ = walled;
        if (context.ReportSandbox is { } report)
        {
            context.ReportSandbox = null;
            await report(walled.Report);
        }

        using var process = new Process { StartInfo = start };
        AgentProcessLauncher.Start(process);
        process.StandardInput.Close();
        var limit = context.Limits.MaxOutputChars;
        var stdout = ReadBoundedAsync(process.StandardOutput, limit);
        var stderr = ReadBoundedAsync(process.StandardError, limit);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            Kill(process, context.SessionId);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        // Whatever the command left running (a server it started in the background) goes with it.
        OrphanReaper.Signal(OrphanReaper.SessionVariable, context.SessionId, ProcessGroup.SigKill);
        var (outText, outCut) = await stdout.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var (errText, errCut) = await stderr.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (context.ReportLimit is { } limitReport)
        {
            await walled.CheckAsync(limitReport);
            await walled.CheckOutputAsync(errText, limitReport);
        }
        return new Result(outText, errText, timedOut ? -1 : process.ExitCode, timedOut, outCut || errCut);
    }

    private static void Kill(Process process, string sessionId)
    {
        ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
        OrphanReaper.Signal(OrphanReaper.SessionVariable, sessionId, ProcessGroup.SigKill);
    }

    /// <summary>The stream's text up to <paramref name="limit"/> characters; the rest is read and dropped so the command never blocks on a full pipe.</summary>
    private static async Task<(string Text, bool Truncated)> ReadBoundedAsync(StreamReader reader, int limit)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        var truncated = false;
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                var room = limit - text.Length;
                if (room >= read)
                    text.Append(buffer, 0, read);
                else
                {
                    if (room > 0)
                        text.Append(buffer, 0, room);
                    truncated = true;
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke as the command was killed.
        }
        return (text.ToString(), truncated);
    }
}
