namespace Overseer.Cli.Client;

/// <summary>
/// Serialised writes to stdout, with a spinner on the last line while the agent works. The
/// spinner runs only when stdout is a terminal: piped output must stay plain lines.
/// </summary>
public sealed class Terminal : IAsyncDisposable
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private readonly Lock _lock = new();
    private readonly TextWriter _out;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _spinning = Task.CompletedTask;
    private string? _working;
    private bool _spinnerShown;
    private bool _promptOpen;
    private DateTime _lastWrite = DateTime.UtcNow;

    public Terminal(TextWriter output, Ansi ansi, bool spinner)
    {
        _out = output;
        Ansi = ansi;
        if (spinner && ansi.Enabled)
            _spinning = SpinAsync(_stop.Token);
    }

    public Ansi Ansi { get; }

    /// <summary>What the spinner says (e.g. "working"), or null to hide it.</summary>
    public void SetWorking(string? what)
    {
        lock (_lock)
        {
            _working = what;
            if (what is null)
                ClearSpinner();
        }
    }

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            ClearSpinner();
            _out.WriteLine(line);
            _out.Flush();
            _lastWrite = DateTime.UtcNow;
            _promptOpen = false;
        }
    }

    /// <summary>Writes without a newline (a prompt); the spinner stays away until the next line.</summary>
    public void Write(string text)
    {
        lock (_lock)
        {
            ClearSpinner();
            _out.Write(text);
            _out.Flush();
            _lastWrite = DateTime.MaxValue;
            _promptOpen = true;
        }
    }

    public void EndPrompt()
    {
        lock (_lock)
        {
            _lastWrite = DateTime.UtcNow;
            _promptOpen = false;
        }
    }

    /// <summary>Ends a prompt nobody will answer with a line break, so what follows starts on a line of its own.</summary>
    public void BreakPrompt()
    {
        lock (_lock)
        {
            if (!_promptOpen)
                return;
            _out.WriteLine();
            _out.Flush();
            _promptOpen = false;
        }
    }

    private void ClearSpinner()
    {
        if (!_spinnerShown)
            return;
        _out.Write(Ansi.ClearLine);
        _spinnerShown = false;
    }

    private async Task SpinAsync(CancellationToken cancellationToken)
    {
        var frame = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_lock)
                {
                    // Only after a quiet moment, so streaming text is not broken up by it.
                    if (_working is null || DateTime.UtcNow - _lastWrite < TimeSpan.FromMilliseconds(300))
                        continue;
                    _out.Write($"{Ansi.ClearLine}{Ansi.Cyan(Frames[frame++ % Frames.Length])} {Ansi.Dim(_working)}");
                    _out.Flush();
                    _spinnerShown = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _spinning;
        lock (_lock)
        {
            ClearSpinner();
            _out.Flush();
        }
        _stop.Dispose();
    }
}
