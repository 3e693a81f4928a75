using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>
/// Reads seed 003's text protocol out of an agent's streamed text: <c>[USER_QUESTION]</c>,
/// <c>[DEPENDENCY_REQUEST]</c> and <c>[ERROR]</c> blocks, <c>=== PHASE N START ===</c> and
/// <c>=== PHASE N COMPLETE ===</c> markers, and <c>[STEP 40%] text</c> progress lines.
/// Pure and incremental: chunks may split anything anywhere (even a marker), and a block is returned
/// by the <see cref="Feed"/> call that delivers the last character of its closing marker.
/// <list type="bullet">
/// <item>Markers ignore case and allow spaces inside: <c>[ user_question ]</c>, <c>[/Error]</c>.</item>
/// <item>An opening marker counts only at the start of a line (after whitespace), so prose that mentions
/// one is not a block; text may follow it on that line. A closing marker counts anywhere inside the block.</item>
/// <item>A phase marker counts anywhere on a line unless a backtick comes right before it (quoted);
/// N must be a positive integer, otherwise the marker is a <see cref="MalformedBlock"/>.</item>
/// <item>A step line counts only outside blocks, its marker at the start of the line; its text is the
/// rest of the line (the first <see cref="MaxStepText"/> characters). A percentage above 100, or a
/// step that is not one of its steps (0/5, 6/5), is a <see cref="MalformedBlock"/>.</item>
/// <item>Text outside blocks is ignored, stray closing markers included.</item>
/// <item>Between a line starting with <c>```</c> or <c>~~~</c> and the closing fence, nothing is read
/// (agents quote the protocol in examples). Fences are not looked for inside an open block.</item>
/// <item>A block start inside an open block (an opening or phase marker) makes the open block a
/// <see cref="MalformedBlock"/> and the new one is read; a closing marker of another kind makes it
/// malformed too.</item>
/// <item>Memory is bounded: an open block longer than <see cref="MaxBlockLength"/> characters is
/// reported as malformed (its first <see cref="MaxRawInMalformed"/> characters) and dropped; outside
/// blocks only a short tail of the current line is kept.</item>
/// </list>
/// Field syntax inside blocks is described on <see cref="BlockFields"/> and <see cref="BlockReader"/>.
/// Not thread-safe: one scanner per agent output stream.
/// </summary>
public sealed class TextProtocolScanner
{
    public const int MaxBlockLength = 64 * 1024;
    public const int MaxRawInMalformed = 1024;
    public const int MaxStepText = 512;

    private enum Mode { Outside, Block, Fence, Step }

    private readonly StringBuilder _line = new();   // the current line's unconsumed text
    private readonly StringBuilder _body = new();   // the open block's complete lines
    private List<ProtocolBlock> _found = [];
    private Mode _mode;
    private bool _lineStart = true;                 // the line's start has not been classified yet
    private bool _afterBacktick;                    // the consumed character just before _line was a backtick
    private int _scanned;                           // chars of _line searched without a marker
    private string _kind = "";
    private char _fenceChar;
    private int _fenceLength;
    private readonly StringBuilder _stepText = new(); // the rest of a step line, up to MaxStepText
    private string _stepMarker = "";
    private int _percent;
    private int? _step;
    private int? _steps;

    /// <summary>Takes the next piece of agent text; returns the blocks it completed, in order.</summary>
    public IReadOnlyList<ProtocolBlock> Feed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            _line.Append(text, start, end - start);
            Process(complete: newline >= 0);
            if (newline < 0)
                break;
            EndLine();
            start = newline + 1;
        }
        return TakeFound();
    }

    /// <summary>
    /// The agent's turn ended: the last line is read as complete, an open block becomes a
    /// <see cref="MalformedBlock"/> ("not closed"), and the scanner starts afresh (an open fence is forgotten).
    /// </summary>
    public IReadOnlyList<ProtocolBlock> Flush()
    {
        Process(complete: true);
        EndLine();
        if (_mode == Mode.Block)
            Report($"not closed: the turn ended before [/{_kind}].");
        _mode = Mode.Outside;
        _body.Clear();
        return TakeFound();
    }

    private void Process(bool complete)
    {
        while (true)
        {
            if (_mode == Mode.Fence)
            {
                InFence(complete);
                return;
            }
            if (_mode == Mode.Step)
            {
                InStep();
                return;
            }
            if (_lineStart && !ClassifyLineStart(complete))
                return;
            if (_mode == Mode.Step)
                continue;   // the line opened a step: the rest of it is the step's text
            if (!FindMarker())
                return;
        }
    }

    /// <summary>Decides whether the line opens a fence or a block; false when more text is needed to tell.</summary>
    private bool ClassifyLineStart(bool complete)
    {
        var indent = 0;
        var limit = Math.Min(_line.Length, ProtocolSyntax.HeadLength);
        while (indent < limit && char.IsWhiteSpace(_line[indent]))
            indent++;
        if (indent == _line.Length)
        {
            if (_mode == Mode.Outside)
                _line.Clear();
            else
                CheckSize();
            _lineStart &= !complete;
            return complete;
        }
        if (indent == ProtocolSyntax.HeadLength)
            return Plain(indent);   // too deeply indented to be a marker line
        var head = _line.ToString(indent, Math.Min(_line.Length - indent, ProtocolSyntax.HeadLength));
        var undecided = !complete && head.Length < ProtocolSyntax.HeadLength;
        if (_mode == Mode.Outside && head[0] is '`' or '~')
        {
            var run = Run(head, head[0]);
            if (run == head.Length && undecided)
                return false;
            if (run >= 3)
            {
                (_mode, _fenceChar, _fenceLength, _lineStart) = (Mode.Fence, head[0], run, false);
                _line.Clear();
                return true;
            }
        }
        if (head[0] == '[')
        {
            var open = ProtocolSyntax.OpenMarker().Match(head);
            if (open.Success)
            {
                OpenBlock(ProtocolKind.Of(open.Groups["kind"].Value), indent + open.Length);
                return true;
            }
            if (undecided && !head.Contains(']', StringComparison.Ordinal))
                return false;
            if (_mode == Mode.Outside && ProtocolSyntax.StepMarker().Match(head) is { Success: true } step)
            {
                OpenStep(step, indent);
                return true;
            }
        }
        return Plain(indent);
    }

    private void OpenStep(Match marker, int indent)
    {
        (_mode, _lineStart, _stepMarker) = (Mode.Step, false, marker.Value);
        _percent = marker.Groups["percent"].Success ? int.Parse(marker.Groups["percent"].Value, CultureInfo.InvariantCulture) : -1;
        _step = marker.Groups["step"].Success ? int.Parse(marker.Groups["step"].Value, CultureInfo.InvariantCulture) : null;
        _steps = marker.Groups["steps"].Success ? int.Parse(marker.Groups["steps"].Value, CultureInfo.InvariantCulture) : null;
        _stepText.Clear();
        RemoveHead(indent + marker.Length);
    }

    /// <summary>The rest of a step line is its text: kept up to a bound, the line's end completes it.</summary>
    private void InStep()
    {
        var room = MaxStepText - _stepText.Length;
        if (room > 0)
            _stepText.Append(_line, 0, Math.Min(room, _line.Length));
        _line.Clear();
    }

    private void CloseStep()
    {
        _mode = Mode.Outside;
        var text = _stepText.ToString().Trim();
        _stepText.Clear();
        if (_step is { } step && _steps is { } steps)
        {
            _found.Add(step >= 1 && step <= steps
                ? new StepBlock(step * 100 / steps, step, steps, text.Length == 0 ? null : text)
                : new MalformedBlock(ProtocolKind.Step, _stepMarker, $"step {step} is not one of {steps} steps."));
            return;
        }
        _found.Add(_percent <= 100
            ? new StepBlock(_percent, null, null, text.Length == 0 ? null : text)
            : new MalformedBlock(ProtocolKind.Step, _stepMarker, $"{_percent}% is more than 100%."));
    }

    private bool Plain(int indent)
    {
        if (_mode == Mode.Outside)
            RemoveHead(indent);
        _lineStart = false;
        return true;
    }

    /// <summary>Inside a fence only a line of at least as many fence characters (and nothing else) matters.</summary>
    private void InFence(bool complete)
    {
        if (!_lineStart)
        {
            _line.Clear();
            return;
        }
        var text = _line.ToString(0, Math.Min(_line.Length, ProtocolSyntax.HeadLength)).Trim();
        if (_line.Length >= ProtocolSyntax.HeadLength || Run(text, _fenceChar) != text.Length)
        {
            _lineStart = false;   // this line cannot close the fence
            _line.Clear();
        }
        else if (complete && text.Length >= _fenceLength)
        {
            _mode = Mode.Outside;
        }
    }

    /// <summary>Looks for the next marker in the unconsumed line; true when one was consumed.</summary>
    private bool FindMarker()
    {
        if (!CanEndAMarker(_scanned))
        {
            Unmatched();
            return false;
        }
        var from = Math.Max(0, _scanned - ProtocolSyntax.Lookbehind);
        var window = _line.ToString(from, _line.Length - from);
        var phase = NextPhase(window, from);
        var close = _mode == Mode.Block ? ProtocolSyntax.CloseMarker().Match(window) : Match.Empty;
        if (!phase.Success && !close.Success)
        {
            Unmatched();
            return false;
        }
        var marker = close.Success && (!phase.Success || close.Index < phase.Index) ? close : phase;
        var at = from + marker.Index;
        if (_mode == Mode.Block)
        {
            _body.Append(_line, 0, at);
            if (marker == phase)
                Report($"[/{_kind}] missing: a phase marker came first.");
            else if (ProtocolKind.Of(close.Groups["kind"].Value) is var closed && closed != _kind)
                Report($"closed by [/{closed}] instead of [/{_kind}].");
            else
                _found.Add(BlockReader.Read(_kind, _body.ToString()));
            _mode = Mode.Outside;
            _body.Clear();
        }
        if (marker == phase)
            _found.Add(ReadPhase(phase));
        RemoveHead(at + marker.Length);
        _scanned = 0;
        return true;
    }

    /// <summary>Every marker ends with <c>]</c> or <c>=</c>: text without either cannot complete one.</summary>
    private bool CanEndAMarker(int from)
    {
        for (var i = from; i < _line.Length; i++)
        {
            if (_line[i] is ']' or '=')
                return true;
        }
        return false;
    }

    private Match NextPhase(string window, int from)
    {
        for (var m = ProtocolSyntax.PhaseMarker().Match(window); m.Success; m = m.NextMatch())
        {
            var before = from + m.Index - 1;
            // Text consumed earlier (or trimmed away) still counts: splitting the text must not change what is found.
            if (before < 0 ? !_afterBacktick : _line[before] != '`')
                return m;
        }
        return Match.Empty;
    }

    private static ProtocolBlock ReadPhase(Match marker)
    {
        if (marker.Groups["start"].Success)
        {
            var number = int.Parse(marker.Groups["start"].Value, CultureInfo.InvariantCulture);
            int? total = marker.Groups["total"].Success ? int.Parse(marker.Groups["total"].Value, CultureInfo.InvariantCulture) : null;
            if (number < 1 || number > (total ?? int.MaxValue))
                return new MalformedBlock(ProtocolKind.Phase, marker.Value, total is null ? "phase number 0 is not a positive integer." : $"phase {number} is not one of {total} phases.");
            var name = marker.Groups["name"].Success ? marker.Groups["name"].Value.Trim() : null;
            return new PhaseStartBlock(number, total, string.IsNullOrEmpty(name) ? null : name);
        }
        var n = marker.Groups["n"].Value.Trim();
        return int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var phase) && phase > 0
            ? new PhaseCompleteBlock(phase)
            : new MalformedBlock(ProtocolKind.Phase, marker.Value, $"phase number '{n}' is not a positive integer.");
    }

    /// <summary>No marker yet: remember how far was searched and keep memory bounded.</summary>
    private void Unmatched()
    {
        _scanned = _line.Length;
        if (_mode == Mode.Outside && _line.Length > ProtocolSyntax.Lookbehind)
        {
            RemoveHead(_line.Length - ProtocolSyntax.Lookbehind);
            _scanned = _line.Length;
        }
        CheckSize();
    }

    private void OpenBlock(string kind, int markerEnd)
    {
        if (_mode == Mode.Block)
            Report($"[/{_kind}] missing: [{kind}] started inside it.");
        (_mode, _kind, _lineStart, _scanned) = (Mode.Block, kind, false, 0);
        _body.Clear();
        RemoveHead(markerEnd);
    }

    private void EndLine()
    {
        if (_mode == Mode.Step)
        {
            InStep();
            CloseStep();
        }
        if (_mode == Mode.Block)
        {
            _body.Append(_line).Append('\n');
            _line.Clear();
            CheckSize();
        }
        _line.Clear();
        _lineStart = true;
        _afterBacktick = false;
        _scanned = 0;
    }

    private void RemoveHead(int count)
    {
        if (count <= 0)
            return;
        _afterBacktick = _line[count - 1] == '`';
        _line.Remove(0, count);
    }

    private void CheckSize()
    {
        if (_mode != Mode.Block || _body.Length + _line.Length <= MaxBlockLength)
            return;
        var raw = _body.Append(_line).ToString().TrimStart();
        raw = raw[..Math.Min(raw.Length, MaxRawInMalformed)];
        _found.Add(new MalformedBlock(_kind, raw, $"longer than {MaxBlockLength} characters without [/{_kind}]; the rest is dropped."));
        (_mode, _lineStart) = (Mode.Outside, false);
        _body.Clear();
        _line.Clear();
        _scanned = 0;
    }

    private void Report(string problem) => _found.Add(new MalformedBlock(_kind, _body.ToString().Trim(), problem));

    private static int Run(string text, char c)
    {
        var run = 0;
        while (run < text.Length && text[run] == c)
            run++;
        return run;
    }

    private IReadOnlyList<ProtocolBlock> TakeFound()
    {
        if (_found.Count == 0)
            return [];
        var found = _found;
        _found = [];
        return found;
    }
}
