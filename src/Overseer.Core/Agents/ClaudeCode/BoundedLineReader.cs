namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Splits a byte stream into lines without ever holding more than the limit: an over-long line
/// is skipped to its end and reported, so a runaway agent cannot exhaust the server's memory.
/// With <c>keepEnds</c>, an over-long line keeps its first and last <c>keepEnds</c> bytes (for
/// stderr, where the start and the end of a long message are what a reader needs).
/// </summary>
internal sealed class BoundedLineReader
{
    /// <summary>A line buffer larger than this is let go after use, so one big line does not pin its buffer.</summary>
    private const int RetainedLineBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly int _keepEnds;
    private readonly byte[] _chunk = new byte[64 * 1024];
    private byte[] _line = new byte[4096];
    private int _lineLength;
    private int _chunkStart;
    private int _chunkEnd;
    private bool _discarding;
    private long _discarded;
    private byte[]? _tail;
    private long _tailWritten;

    public BoundedLineReader(Stream stream, int maxLineBytes, int keepEnds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keepEnds, maxLineBytes / 2);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _keepEnds = keepEnds;
    }

    /// <summary>The next line (without its newline), an over-long line's size, or end of stream.</summary>
    public async ValueTask<LineResult> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadBuffered(out var line))
                return line;
            _chunkStart = 0;
            _chunkEnd = await _stream.ReadAsync(_chunk, cancellationToken);
            if (_chunkEnd == 0)
            {
                // A final line without a newline (the process exited mid-line) still counts.
                if (_discarding)
                    return Overlong();
                if (_lineLength > 0)
                    return TakeLine();
                return LineResult.End;
            }
        }
    }

    /// <summary>
    /// The next line when the bytes already read hold all of it, without touching the stream:
    /// a reader takes every complete line one read brought before handing them on together.
    /// False when the buffered bytes ran out first (a partial line is kept for the next read).
    /// </summary>
    public bool TryReadBuffered(out LineResult line)
    {
        if (_chunkStart < _chunkEnd)
        {
            var span = _chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart);
            var newline = span.IndexOf((byte)'\n');
            var piece = newline >= 0 ? span[..newline] : span;
            Append(piece);
            _chunkStart += piece.Length;
            if (newline >= 0)
            {
                _chunkStart++;
                line = _discarding ? Overlong() : TakeLine();
                return true;
            }
        }
        line = default;
        return false;
    }

    private void Append(ReadOnlySpan<byte> piece)
    {
        if (_discarding)
        {
            _discarded += piece.Length;
            KeepTail(piece);
            return;
        }
        if (_lineLength + piece.Length > _maxLineBytes)
        {
            _discarding = true;
            _discarded = _lineLength + piece.Length;
            if (_keepEnds > 0)
            {
                // The head is already in the line buffer; the rest of the line only feeds the tail.
                _tail ??= new byte[_keepEnds];
                _tailWritten = 0;
                if (_lineLength < _keepEnds)
                {
                    if (_line.Length < _keepEnds)
                        Array.Resize(ref _line, _keepEnds);
                    var take = Math.Min(piece.Length, _keepEnds - _lineLength);
                    piece[..take].CopyTo(_line.AsSpan(_lineLength));
                    _lineLength += take;
                    piece = piece[take..];
                }
                KeepTail(_line.AsSpan(_keepEnds, _lineLength - _keepEnds));
                KeepTail(piece);
                _lineLength = _keepEnds;
            }
            else
            {
                _lineLength = 0;
            }
            return;
        }
        if (_lineLength + piece.Length > _line.Length)
            Array.Resize(ref _line, Math.Min(_maxLineBytes, Math.Max(_line.Length * 2, _lineLength + piece.Length)));
        piece.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += piece.Length;
    }

    /// <summary>Writes into a ring of the last <c>keepEnds</c> bytes.</summary>
    private void KeepTail(ReadOnlySpan<byte> piece)
    {
        if (_keepEnds == 0)
            return;
        if (piece.Length >= _keepEnds)
            piece = piece[^_keepEnds..];
        var at = (int)(_tailWritten % _keepEnds);
        var first = Math.Min(piece.Length, _keepEnds - at);
        piece[..first].CopyTo(_tail.AsSpan(at));
        piece[first..].CopyTo(_tail.AsSpan(0));
        _tailWritten += piece.Length;
    }

    private LineResult TakeLine()
    {
        var line = _line.AsMemory(0, _lineLength).ToArray();
        _lineLength = 0;
        ShrinkLineBuffer();
        return new LineResult(line, 0, false);
    }

    private LineResult Overlong()
    {
        var size = _discarded;
        byte[]? head = null, tail = null;
        if (_keepEnds > 0)
        {
            head = _line.AsSpan(0, _keepEnds).ToArray();
            var kept = (int)Math.Min(_tailWritten, _keepEnds);
            tail = new byte[kept];
            var start = (int)((_tailWritten - kept) % _keepEnds);
            var first = Math.Min(kept, _keepEnds - start);
            _tail.AsSpan(start, first).CopyTo(tail);
            _tail.AsSpan(0, kept - first).CopyTo(tail.AsSpan(first));
        }
        _discarding = false;
        _discarded = 0;
        _lineLength = 0;
        _tailWritten = 0;
        ShrinkLineBuffer();
        return new LineResult(null, size, false, head, tail);
    }

    private void ShrinkLineBuffer()
    {
        if (_line.Length > RetainedLineBytes)
            _line = new byte[4096];
    }
}

/// <summary>
/// A line, or (when <see cref="Line"/> is null) an over-long line's size with, when asked for,
/// its first and last bytes; or the end of the stream.
/// </summary>
internal readonly record struct LineResult(byte[]? Line, long OverlongBytes, bool IsEnd, byte[]? Head = null, byte[]? Tail = null)
{
    public static readonly LineResult End = new(null, 0, true);
}
