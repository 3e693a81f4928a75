using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Overseer.TestKit.Anthropic;

/// <summary>
/// The real Claude Code CLI as a child process speaking stream-json (one JSON object per line on
/// stdin and stdout), with helpers to send the host's messages and await the CLI's. Arguments go
/// through an argv array, never a shell. Disposing kills the process tree if still running.
/// </summary>
public sealed class ClaudeProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Channel<JsonObject> _incoming = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<(string Direction, string Line)> _transcript = [];
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Task _stdoutPump;
    private int _requestCount;
    private int _disposed;

    private ClaudeProcess(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the CLI wrote to stderr so far (normally nothing).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>Every line both ways so far, formatted like the recorded transcripts (<c>{"dir":..,"msg":..}</c>).</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
                return string.Join('\n', _transcript.Select(t => $"{{\"dir\": \"{t.Direction}\", \"msg\": {t.Line}}}"));
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> with <see cref="ClaudeCli.HostArguments"/> plus
    /// <paramref name="extraArguments"/> (e.g. --resume ID, --permission-mode plan) in
    /// <paramref name="workingDirectory"/>. Inherited ANTHROPIC_* and CLAUDE* variables are removed
    /// (a developer's own key or a parent Claude Code session must not leak in), then
    /// <paramref name="environment"/> is applied.
    /// </summary>
    public static ClaudeProcess Start(string executable, string workingDirectory, IDictionary<string, string> environment, IEnumerable<string>? extraArguments = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A byte-order mark before the first line would be a JSON syntax error, which kills the CLI.
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in ClaudeCli.HostArguments.Concat(extraArguments ?? []))
            start.ArgumentList.Add(argument);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ANTHROPIC_", StringComparison.Ordinal) || key.StartsWith("CLAUDE", StringComparison.Ordinal))
                start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        return new ClaudeProcess(process);
    }

    /// <summary>Writes one JSON line to the CLI's stdin.</summary>
    public async Task SendAsync(JsonNode message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = message.ToJsonString();
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            lock (_transcript)
                _transcript.Add(("to_cli", line));
            await _process.StandardInput.WriteAsync((line + "\n").AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"The CLI's stdin is closed (exited: {HasExited}).\n{Diagnostics()}", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Starts a turn: <c>{"type":"user","message":{"role":"user","content":text}}</c>.</summary>
    public Task SendUserMessageAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(new JsonObject
        {
            ["type"] = "user",
            ["message"] = new JsonObject { ["role"] = "user", ["content"] = text },
        }, cancellationToken);

    /// <summary>Allows a <c>can_use_tool</c> request, with <paramref name="updatedInput"/> or else the requested input unchanged.</summary>
    public Task AllowAsync(JsonObject controlRequest, JsonNode? updatedInput = null, CancellationToken cancellationToken = default) =>
        RespondAsync(controlRequest, new JsonObject
        {
            ["behavior"] = "allow",
            ["updatedInput"] = (updatedInput ?? controlRequest["request"]?["input"] ?? new JsonObject()).DeepClone(),
        }, cancellationToken);

    /// <summary>Denies a <c>can_use_tool</c> request; the agent sees <paramref name="message"/> as the tool's (error) result.</summary>
    public Task DenyAsync(JsonObject controlRequest, string message, CancellationToken cancellationToken = default) =>
        RespondAsync(controlRequest, new JsonObject { ["behavior"] = "deny", ["message"] = message }, cancellationToken);

    /// <summary>Sends a host control request such as <c>{"subtype":"interrupt"}</c>; returns its request_id.</summary>
    public async Task<string> SendControlRequestAsync(JsonObject request, CancellationToken cancellationToken = default)
    {
        var id = $"host-{Interlocked.Increment(ref _requestCount)}";
        await SendAsync(new JsonObject { ["type"] = "control_request", ["request_id"] = id, ["request"] = request }, cancellationToken);
        return id;
    }

    /// <summary>Asks the CLI to stop the current turn; it acknowledges with a control_response and ends the turn with a result.</summary>
    public Task<string> InterruptAsync(CancellationToken cancellationToken = default) =>
        SendControlRequestAsync(new JsonObject { ["subtype"] = "interrupt" }, cancellationToken);

    /// <summary>The next message from the CLI's stdout.</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time; the message includes the transcript and stderr.</exception>
    /// <exception cref="EndOfStreamException">The CLI closed its stdout (usually: it exited).</exception>
    public async Task<JsonObject> ReadNextAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(limit);
        try
        {
            if (await _incoming.Reader.WaitToReadAsync(cts.Token) && _incoming.Reader.TryRead(out var message))
                return message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The CLI wrote nothing within {limit}.\n{Diagnostics()}");
        }
        throw new EndOfStreamException($"The CLI closed stdout (exited: {HasExited}).\n{Diagnostics()}");
    }

    /// <summary>Reads until a message matches <paramref name="predicate"/> and returns it; skipped messages stay in <see cref="Transcript"/>.</summary>
    public async Task<JsonObject> ReadUntilAsync(Func<JsonObject, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No matching message from the CLI within {limit}.\n{Diagnostics()}");
            var message = await ReadNextAsync(left, cancellationToken);
            if (predicate(message))
                return message;
        }
    }

    /// <summary>Reads until a message of <paramref name="type"/> (and <paramref name="subtype"/> if given) arrives.</summary>
    public Task<JsonObject> ReadUntilTypeAsync(string type, string? subtype = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ReadUntilAsync(m => IsType(m, type, subtype), timeout, cancellationToken);

    /// <summary>Reads the rest of a turn: every message up to and including its <c>result</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> ReadTurnAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var messages = new List<JsonObject>();
        await ReadUntilAsync(m =>
        {
            messages.Add(m);
            return IsType(m, "result");
        }, timeout, cancellationToken);
        return messages;
    }

    /// <summary>Closes stdin: the CLI finishes the current turn, then exits.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The CLI did not exit within {limit}.\n{Diagnostics()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the CLI and everything it started (a running Bash tool's commands).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Whether <paramref name="message"/> has this <c>type</c> (and <c>subtype</c>, if given).</summary>
    public static bool IsType(JsonObject message, string type, string? subtype = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (string?)message["type"] == type && (subtype is null || (string?)message["subtype"] == subtype);
    }

    private Task RespondAsync(JsonObject controlRequest, JsonObject response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controlRequest);
        var id = controlRequest["request_id"]?.GetValue<string>()
            ?? throw new ArgumentException("Not a control_request: no request_id.", nameof(controlRequest));
        return SendAsync(new JsonObject
        {
            ["type"] = "control_response",
            ["response"] = new JsonObject { ["subtype"] = "success", ["request_id"] = id, ["response"] = response },
        }, cancellationToken);
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_transcript)
                    _transcript.Add(("from_cli", line));
                JsonObject? message = null;
                try
                {
                    message = JsonNode.Parse(line) as JsonObject;
                }
                catch (JsonException)
                {
                    // Not protocol: left in the transcript for diagnostics only.
                }
                if (message is not null)
                    await _incoming.Writer.WriteAsync(message);
            }
        }
        catch (IOException)
        {
            // The pipe broke because the process was killed.
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    private string Diagnostics() => $"--- transcript ---\n{Transcript}\n--- stderr ---\n{Stderr}";

    /// <summary>Kills the process tree if still running; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        Kill();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
            await _stdoutPump.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _process.Dispose();
        _writeLock.Dispose();
    }
}
