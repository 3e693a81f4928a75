namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Splits a byte stream into lines without ever holding more than the limit: an over-long line
/// is skipped to its end and reported, so a runaway agent cannot exhaust the server's memory.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private byte[] _line = new byte[4096];
    private int _lineLength;
    private int _chunkStart;
    private int _chunkEnd;
    private bool _discarding;
    private long _discarded;

    /// <summary>The next line (without its newline), an over-long line's size, or end of stream.</summary>
    public async ValueTask<LineResult> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_chunkStart == _chunkEnd)
            {
                _chunkStart = 0;
                _chunkEnd = await stream.ReadAsync(_chunk, cancellationToken);
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
            var span = _chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart);
            var newline = span.IndexOf((byte)'\n');
            var piece = newline >= 0 ? span[..newline] : span;
            Append(piece);
            _chunkStart += piece.Length;
            if (newline >= 0)
            {
                _chunkStart++;
                if (_discarding)
                    return Overlong();
                return TakeLine();
            }
        }
    }

    private void Append(ReadOnlySpan<byte> piece)
    {
        if (_discarding)
        {
            _discarded += piece.Length;
            return;
        }
        if (_lineLength + piece.Length > maxLineBytes)
        {
            _discarding = true;
            _discarded = _lineLength + piece.Length;
            _lineLength = 0;
            if (_line.Length > 64 * 1024)
                _line = new byte[4096];
            return;
        }
        if (_lineLength + piece.Length > _line.Length)
            Array.Resize(ref _line, Math.Min(maxLineBytes, Math.Max(_line.Length * 2, _lineLength + piece.Length)));
        piece.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += piece.Length;
    }

    private LineResult TakeLine()
    {
        var line = _line.AsMemory(0, _lineLength).ToArray();
        _lineLength = 0;
        return new LineResult(line, 0, false);
    }

    private LineResult Overlong()
    {
        var size = _discarded;
        _discarding = false;
        _discarded = 0;
        return new LineResult(null, size, false);
    }
}

internal readonly record struct LineResult(byte[]? Line, long OverlongBytes, bool IsEnd)
{
    public static readonly LineResult End = new(null, 0, true);
}
