using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// One running <c>claude</c> process, kept across turns: user messages and control responses go
/// to its stdin as JSON lines; everything it prints on stdout becomes events. Stopping it closes
/// stdin, then signals its whole process group (TERM, then KILL after a grace period).
/// </summary>
internal sealed partial class ClaudeCodeConnection : IAgentConnection
{
    private readonly AgentStartContext _context;
    private readonly ClaudeCodeOptions _options;
    private readonly ILogger _logger;
    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly CancellationTokenSource _stopped = new();
    private readonly Task _stdoutLoop;
    private readonly Task _stderrLoop;
    private readonly Task _watchdog;
    private readonly Task _limitWatch;
    private readonly SandboxedAgent _sandbox;
    private readonly AgentLoopSupervisor _supervisor;
    private int _requestCounter;

    private const string StdoutLoop = "stdout reader";
    private volatile bool _stopping;

    private ClaudeCodeConnection(AgentStartContext context, ClaudeCodeOptions options, ILogger logger, Process process, bool ownGroup, SandboxedAgent sandbox)
    {
        _sandbox = sandbox;
        _context = context;
        _options = options;
        _logger = logger;
        _process = process;
        _ownGroup = ownGroup;
        _lastOutput = Stopwatch.GetTimestamp();
        _supervisor = new AgentLoopSupervisor(context.SessionId, logger, OnLoopFaultAsync);
        var stopping = _stopped.Token;
        _stdoutLoop = Task.Run(() => _supervisor.RunAsync(StdoutLoop, ReadStdoutAsync, stopping));
        _stderrLoop = Task.Run(() => _supervisor.RunAsync("stderr reader", ReadStderrAsync, stopping));
        _watchdog = Task.Run(() => _supervisor.RunAsync("silence watchdog", WatchSilenceAsync, stopping));
        _limitWatch = Task.Run(() => _supervisor.RunAsync("sandbox limit watch", () => sandbox.WatchAsync(ReportLimitAsync, stopping), stopping));
    }

    public int ProcessId => _process.Id;

    private IAgentSink Sink => _context.Sink;

    public static ClaudeCodeConnection Start(AgentStartContext context, ClaudeCodeOptions options, string executable, string? owner, IAgentSandbox sandbox, ILogger logger)
    {
        var (start, arguments) = ClaudeCommandLine.Build(context, options, executable, owner);
        var walled = sandbox.Wrap(start, executable, arguments, new SandboxRequest(context.SessionId, context.ProjectName, context.WorkingDirectory));
        try
        {
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            AgentProcessLauncher.Start(process);
            return new ClaudeCodeConnection(context, options, logger, process, ownGroup: !start.FileName.Equals(executable, StringComparison.Ordinal), walled);
        }
        catch
        {
            walled.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        _turnActive = true;
        _stallReported = false;
        Interlocked.Exchange(ref _turnErrors, 0);
        Touch();
        await WriteLineAsync(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "user");
            writer.WriteStartObject("message");
            writer.WriteString("role", "user");
            writer.WriteString("content", text);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken);
    }

    public async Task InterruptAsync(CancellationToken cancellationToken)
    {
        _interruptRequested = true;
        var requestId = "overseer-interrupt-" + Interlocked.Increment(ref _requestCounter).ToString(CultureInfo.InvariantCulture);
        await WriteLineAsync(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "control_request");
            writer.WriteString("request_id", requestId);
            writer.WriteStartObject("request");
            writer.WriteString("subtype", "interrupt");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken);
    }

    public Task PauseAsync(CancellationToken cancellationToken)
    {
        _paused = true;
        Signal(ProcessGroup.SigStop);
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken)
    {
        Signal(ProcessGroup.SigCont);
        _paused = false;
        Touch();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping)
            return;
        _stopping = true;
        await _stopped.CancelAsync();
        // A paused process cannot act on a signal other than KILL until it is continued.
        Signal(ProcessGroup.SigCont);
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already gone.
        }
        if (!_process.HasExited)
        {
            Signal(ProcessGroup.SigTerm);
            using var grace = new CancellationTokenSource(_options.StopGracePeriod);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                LogKilled(_context.SessionId, _process.Id);
                Signal(ProcessGroup.SigKill);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        // Whatever the agent started in its group goes too.
        Signal(ProcessGroup.SigKill);
        Task[] answers;
        lock (_answers)
            answers = [.. _answers];
        await Task.WhenAll([_stdoutLoop, _stderrLoop, _watchdog, _limitWatch, .. answers]).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _process.Dispose();
        _sandbox.Dispose();
        _stopped.Dispose();
        _stdinLock.Dispose();
    }

    private void Signal(int signal)
    {
        if (signal == ProcessGroup.SigTerm && _sandbox.Sandboxed)
        {
            // bubblewrap itself dies of SIGTERM and its end SIGKILLs the agent before the CLI has
            // saved its transcript (a resume would lose the last turn): ask the agent and its tools.
            SandboxedAgent.SignalInside(_process.Id, signal);
            return;
        }
        try
        {
            if (_ownGroup)
                ProcessGroup.Signal(_process.Id, signal);
            else if (signal == ProcessGroup.SigKill && !_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // The process is gone.
        }
        // Tools the CLI ran in process groups of their own carry the session's mark.
        if (signal is ProcessGroup.SigTerm or ProcessGroup.SigKill)
            OrphanReaper.Signal(OrphanReaper.SessionVariable, _context.SessionId, signal);
    }

    /// <summary>Writes one JSON line to the CLI's stdin; writes never interleave.</summary>
    private async Task WriteLineAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        buffer.WriteByte((byte)'\n');
        await _stdinLock.WaitAsync(cancellationToken);
        try
        {
            var stdin = _process.StandardInput.BaseStream;
            await stdin.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            await stdin.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            throw new AgentGoneException("The claude process is no longer reading its input: " + ex.Message);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    private ValueTask ReportLimitAsync(AgentLimitReachedData limit) =>
        Sink.EmitAsync(new AgentFact(EventTypes.AgentLimitReached, JsonSerializer.SerializeToElement(limit, OverseerJson.Default.AgentLimitReachedData)), CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: claude (pid {Pid}) did not stop after SIGTERM; killed")]
    private partial void LogKilled(string sessionId, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the agent wrote {Max} unreadable lines in one turn; stopping it")]
    private partial void LogTooManyErrors(string sessionId, int max);
}
