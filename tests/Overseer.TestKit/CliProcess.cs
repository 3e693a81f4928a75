using System.Diagnostics;
using System.Text;

namespace Overseer.TestKit;

/// <summary>
/// One <c>overseer</c> client command as a separate process (<c>dotnet overseer.dll ...</c>), with
/// stdin redirected (so it is not a terminal), its output captured as it comes, and a way to press
/// Ctrl-C (SIGINT).
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(Process process) => _process = process;

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(CliEnvironment environment, IEnumerable<string> args, string? stdin, IDictionary<string, string?>? extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = environment.WorkingDirectory,
        };
        start.ArgumentList.Add(ServerProcess.ExecutablePath);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment.Environment(extra))
        {
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(cli._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(cli._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return cli;
    }

    /// <summary>Waits until stdout contains <paramref name="text"/>; fails with everything printed so far.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null) => WaitForAsync(() => Stdout, "stdout", text, timeout);

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    public Task<string> WaitForErrorAsync(string text, TimeSpan? timeout = null) => WaitForAsync(() => Stderr, "stderr", text, timeout);

    private async Task<string> WaitForAsync(Func<string> read, string stream, string text, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var output = read();
            if (output.Contains(text, StringComparison.Ordinal))
                return output;
            if (_process.HasExited)
            {
                // Exited: once its last lines are read, the output is final.
                await Task.Run(() => _process.WaitForExit());
                if (read().Contains(text, StringComparison.Ordinal))
                    return read();
                throw new InvalidOperationException($"overseer exited ({_process.ExitCode}) before printing '{text}' on {stream}:\n{Stdout}\n--- stderr\n{Stderr}");
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"overseer did not print '{text}' on {stream} in time:\n{Stdout}\n--- stderr\n{Stderr}");
            await Task.Delay(20);
        }
    }

    /// <summary>The exit code; kills the process and fails if it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await Signals.WaitForExitOrKillAsync(_process, timeout, () => $"{Stdout}\n--- stderr\n{Stderr}");
        // WaitForExit without a timeout also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>What Ctrl-C in a terminal sends.</summary>
    public void Interrupt()
    {
        if (!Signals.Send(_process.Id, Signals.Interrupt))
            throw new InvalidOperationException("Could not send SIGINT.");
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.AppendLine(line);
    }


    public ValueTask DisposeAsync() => Signals.StopAndDisposeAsync(_process);
}
