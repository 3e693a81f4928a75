using System.Runtime.InteropServices;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer attach</c> (and <c>logs --follow</c>): catches up on a session's events, then follows
/// it live, rendering each event, until the session ends, Ctrl-C detaches, or (with
/// <see cref="AttachOptions.ExitOnIdle"/>) its turn is done. The exit code says how it ended.
/// </summary>
public sealed class Attacher(OverseerClient client, TextWriter output, TextWriter error)
{
    private static readonly TimeSpan SecondCtrlCWindow = TimeSpan.FromSeconds(2);
    private bool _interrupting;

    public async Task<int> RunAsync(string sessionId, AttachOptions options, CancellationToken cancellationToken)
    {
        var ansi = options.Plain ? new Ansi(false) : Ansi.ForStdout();
        await using var terminal = new Terminal(output, ansi, spinner: !Console.IsOutputRedirected && !options.Json);
        var renderer = new EventRenderer(ansi);
        var prompter = options.Prompt ? new PendingPrompter(client, terminal, ConsoleInput.Interactive) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Prompts stop at the first Ctrl-C, not when the attach ends 2 s later: a key typed in
        // between (a "y", a line meant for the shell) must decide nothing.
        using var prompts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var outcome = ExitCodes.Ok;
        DateTime? firstCtrlC = null;
        Task? interrupt = null;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            lock (stop)
            {
                if (firstCtrlC is { } first && DateTime.UtcNow - first < SecondCtrlCWindow)
                {
                    outcome = ExitCodes.Interrupted;
                    _interrupting = true;
                    interrupt ??= InterruptAsync(sessionId, stop);
                    return;
                }
                firstCtrlC = DateTime.UtcNow;
            }
            terminal.BreakPrompt();
            Cancel(prompts);
            // On stderr: stdout may be JSON lines (logs --follow --json).
            terminal.SetWorking(null);
            error.WriteLine(ansi.Dim("detaching; press Ctrl-C again within 2 s to interrupt the session"));
            _ = DetachLaterAsync(stop);
        });

        var after = options.Last is { } last ? await StartOfLastAsync(sessionId, last, stop.Token) : 0;
        var stream = new EventStream(client, sessionId, message => error.WriteLine(ansi.Dim("overseer: " + message)));
        try
        {
            await foreach (var (e, json) in stream.ReadAsync(after, stop.Token))
            {
                if (options.Json)
                    terminal.WriteLine(json);
                else
                    foreach (var line in renderer.Render(e))
                        terminal.WriteLine(line);
                if (StateOf(e) is { } to)
                {
                    terminal.SetWorking(to is SessionStatus.Running or SessionStatus.Starting ? "working" : null);
                    if (Ending(to, options.ExitOnIdle) is { } code && await IsLatestStateAsync(sessionId, e.Seq, stop.Token))
                    {
                        // The turn a second Ctrl-C interrupted ends idle: with --exit-on-idle that
                        // must still exit as interrupted, not as a finished turn.
                        lock (stop)
                        {
                            if (interrupt is null)
                                return code;
                        }
                        break;
                    }
                }
                else if (prompter is not null && !prompts.IsCancellationRequested)
                {
                    try
                    {
                        await prompter.HandleAsync(e, prompts.Token);
                    }
                    catch (OperationCanceledException) when (prompts.IsCancellationRequested && !stop.IsCancellationRequested)
                    {
                        // The first Ctrl-C: the question stays open; keep showing events until detached.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: detached, or interrupted after a second one.
        }
        // Whatever ended the attach, an interrupt in flight is reported before exiting.
        Task? interrupting;
        lock (stop)
            interrupting = interrupt;
        if (interrupting is not null)
            await interrupting;
        return outcome;
    }

    /// <summary>The state a <c>session.*</c> change entered; null for any other event.</summary>
    private static SessionStatus? StateOf(EventEnvelope e)
    {
        if (!EventTypes.IsStateChange(e.Type))
            return null;
        try
        {
            return e.Data.Deserialize(OverseerJson.Default.StateChangeData)?.To;
        }
        catch (JsonException)
        {
            // A session event this client does not know the shape of: not a state it can act on.
            return null;
        }
    }

    private static int? Ending(SessionStatus to, bool exitOnIdle) => to switch
    {
        SessionStatus.Completed => ExitCodes.Ok,
        SessionStatus.Failed => ExitCodes.Error,
        SessionStatus.Cancelled or SessionStatus.Deleted => ExitCodes.Cancelled,
        SessionStatus.Idle when exitOnIdle => ExitCodes.Ok,
        _ => null,
    };

    /// <summary>
    /// Whether the state change at <paramref name="seq"/> is the session's current state, so an
    /// old <c>idle</c> met while catching up on history does not end the attach.
    /// </summary>
    private async Task<bool> IsLatestStateAsync(string sessionId, long seq, CancellationToken cancellationToken)
    {
        await foreach (var (e, _) in client.EventsAsync(sessionId, seq, cancellationToken))
        {
            if (EventTypes.IsStateChange(e.Type))
                return false;
        }
        return true;
    }

    /// <summary>The seq to start after so that only the last <paramref name="count"/> events are shown.</summary>
    private async Task<long> StartOfLastAsync(string sessionId, int count, CancellationToken cancellationToken)
    {
        var window = new Queue<long>(count + 1);
        await foreach (var (e, _) in client.EventsAsync(sessionId, 0, cancellationToken))
        {
            window.Enqueue(e.Seq);
            if (window.Count > count + 1)
                window.Dequeue();
        }
        return window.Count == count + 1 ? window.Peek() : 0;
    }

    private async Task DetachLaterAsync(CancellationTokenSource stop)
    {
        await Task.Delay(SecondCtrlCWindow);
        lock (stop)
        {
            // An interrupt in flight stops the attach itself once the server has it.
            if (!_interrupting)
                Cancel(stop);
        }
    }

    private static void Cancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attach already ended by itself.
        }
    }

    private async Task InterruptAsync(string sessionId, CancellationTokenSource stop)
    {
        try
        {
            await client.PostAsync($"api/sessions/{sessionId}/interrupt", CancellationToken.None);
            await error.WriteLineAsync($"interrupted {sessionId}");
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync("overseer: " + ex.Message);
        }
        lock (stop)
            Cancel(stop);
    }
}
