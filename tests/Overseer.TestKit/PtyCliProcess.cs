using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.TestKit;

/// <summary>
/// One <c>overseer</c> client command in a real pseudo-terminal, as a person at a terminal runs it:
/// stdin, stdout and stderr are the terminal, so the CLI prompts, colours and spins, and Ctrl-C
/// goes through the terminal driver. Read it expect-style: each wait consumes the output up to
/// what it waited for, so the same prompt can be awaited again.
/// </summary>
/// <remarks>
/// util-linux <c>script</c> owns the pty: it makes the child a session leader with the pty as its
/// controlling terminal (which a managed fork cannot do safely), copies our stdin pipe to the pty
/// master and the master's output to our stdout pipe, and with <c>-e</c> exits with the child's
/// code. The command it runs goes through <c>/bin/sh -c</c>, so it is built only from fixed words
/// and arguments each quoted by <see cref="ShellQuote"/>: no argument can end its quotes, so none
/// can become shell syntax, whatever it contains.
/// </remarks>
public sealed partial class PtyCliProcess : IAsyncDisposable
{
    private const string ScriptPath = "/usr/bin/script";
    private const char Escape = '\u001b';

    private readonly Process _process;
    private readonly StringBuilder _raw = new();
    private readonly Task _reading;
    private readonly StringBuilder _scriptErrors = new();
    private int _consumed;

    private PtyCliProcess(Process process)
    {
        _process = process;
        _reading = ReadAsync(process.StandardOutput.BaseStream);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_scriptErrors)
                _scriptErrors.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the terminal showed, escape sequences and all.</summary>
    public string RawOutput
    {
        get { lock (_raw) return _raw.ToString(); }
    }

    /// <summary>What the terminal showed as text: escape sequences and carriage returns removed.</summary>
    public string Output => StripAnsi(RawOutput);

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>overseer args...</c> in a new pty, in <paramref name="environment"/> (its home and
    /// login) with <c>TERM=xterm-256color</c>. <c>NO_COLOR</c> is unset unless
    /// <paramref name="noColor"/>: a terminal's default is colour.
    /// </summary>
    public static PtyCliProcess Start(CliEnvironment environment, IEnumerable<string> args, bool noColor = false, IDictionary<string, string?>? extra = null)
    {
        if (!File.Exists(ScriptPath))
            throw new InvalidOperationException($"{ScriptPath} (util-linux) is needed to run the CLI in a pseudo-terminal.");
        var command = "exec " + string.Join(' ', new[] { "dotnet", ServerProcess.ExecutablePath }.Concat(args).Select(ShellQuote));
        var start = new ProcessStartInfo(ScriptPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = environment.WorkingDirectory,
        };
        // -q: no "Script started" banner; -e: exit with the child's code; -f: flush each write;
        // /dev/null: no typescript file.
        foreach (var arg in new[] { "-q", "-e", "-f", "-c", command, "/dev/null" })
            start.ArgumentList.Add(arg);
        var variables = new Dictionary<string, string?>(environment.Environment(extra), StringComparer.Ordinal)
        {
            ["TERM"] = "xterm-256color",
            // script runs the command with $SHELL -c: make that a POSIX shell, not whatever the runner has.
            ["SHELL"] = "/bin/sh",
        };
        if (!noColor)
            variables["NO_COLOR"] = null;
        // What the test asks for wins over the defaults above.
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            variables[key] = value;
        foreach (var (key, value) in variables)
        {
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;
        }
        return new PtyCliProcess(Process.Start(start)!);
    }

    /// <summary>Single-quotes a word for <c>sh</c>: inside single quotes nothing is special except the quote itself.</summary>
    public static string ShellQuote(string word)
    {
        if (word.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("A command-line argument cannot contain NUL.", nameof(word));
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Types <paramref name="keys"/> as they are (use <c>\r</c> for Enter, as a terminal sends it).</summary>
    public async Task TypeAsync(string keys)
    {
        var input = _process.StandardInput.BaseStream;
        await input.WriteAsync(Encoding.UTF8.GetBytes(keys));
        await input.FlushAsync();
    }

    /// <summary>Types a line and Enter.</summary>
    public Task TypeLineAsync(string line) => TypeAsync(line + "\r");

    /// <summary>Ctrl-C: the terminal driver turns it into SIGINT for the foreground process.</summary>
    public Task PressCtrlCAsync() => TypeAsync("\u0003");

    /// <summary>
    /// Waits until the text output, after what earlier waits consumed, contains
    /// <paramref name="text"/>, and consumes it up to there. Answers the text from the start of the
    /// search to the end of the match. Fails with everything shown so far.
    /// </summary>
    public async Task<string> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var exited = _process.HasExited;
            if (exited)
                await _reading;
            var output = Output;
            var at = output.IndexOf(text, _consumed, StringComparison.Ordinal);
            if (at >= 0)
            {
                var seen = output[_consumed..(at + text.Length)];
                _consumed = at + text.Length;
                return seen;
            }
            if (exited)
                throw new InvalidOperationException($"overseer exited ({_process.ExitCode}) before showing '{text}':\n{Describe()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"overseer did not show '{text}' in time:\n{Describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>The exit code, once the terminal has shown everything; kills the process and fails if it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await Signals.WaitForExitOrKillAsync(_process, timeout, Describe);
        await _reading;
        return _process.ExitCode;
    }

    /// <summary>
    /// Removes escape sequences (CSI like colours and cursor moves, OSC, and two-byte ones like
    /// keypad mode) and carriage returns. An escape cut off at the end is dropped, so the text
    /// only ever grows at its end as more output arrives.
    /// </summary>
    public static string StripAnsi(string raw)
    {
        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\r')
                continue;
            if (c != Escape)
            {
                text.Append(c);
                continue;
            }
            if (i + 1 >= raw.Length)
                break;
            var kind = raw[i + 1];
            if (kind == '[')
            {
                var j = i + 2;
                while (j < raw.Length && raw[j] is >= '\u0020' and <= '\u003f')
                    j++;
                if (j >= raw.Length)
                    break;
                i = j;
            }
            else if (kind == ']')
            {
                var j = i + 2;
                while (j < raw.Length && raw[j] != '\u0007' && !(raw[j] == Escape && j + 1 < raw.Length && raw[j + 1] == '\\'))
                    j++;
                if (j >= raw.Length)
                    break;
                i = raw[j] == '\u0007' ? j : j + 1;
            }
            else
            {
                i++;
            }
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="raw"/> has any SGR (colour or style) sequence.</summary>
    public static bool HasSgr(string raw) => Sgr().IsMatch(raw);

    private async Task ReadAsync(Stream stdout)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await stdout.ReadAsync(bytes)) > 0)
        {
            // The decoder keeps a character split across reads until its last byte comes.
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            lock (_raw)
                _raw.Append(chars, 0, count);
        }
    }

    private string Describe()
    {
        string errors;
        lock (_scriptErrors)
            errors = _scriptErrors.ToString();
        return Output + (errors.Length == 0 ? "" : "\n--- script stderr\n" + errors);
    }

    public async ValueTask DisposeAsync()
    {
        // Kills script and the CLI under it: the pty closing alone would only hang the CLI up.
        await Signals.StopAndDisposeAsync(_process);
        try
        {
            await _reading.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or TimeoutException)
        {
            // The pipe went away with the process: nothing more to read.
        }
    }

    [GeneratedRegex(@"\u001b\[[0-9;]*m")]
    private static partial Regex Sgr();
}
