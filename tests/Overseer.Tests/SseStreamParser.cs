using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Overseer.Tests;

/// <summary>Reads SSE messages from a raw HTTP/1.1 response on a socket, decoding chunked framing.</summary>
internal sealed class SseStreamParser(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async IAsyncEnumerable<JsonElement> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunked = false;
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } header)
        {
            if (header.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && header.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                chunked = true;
        }
        var line = new StringBuilder();
        while (true)
        {
            byte[] data;
            if (chunked)
            {
                var sizeLine = await ReadLineAsync(cancellationToken);
                if (sizeLine is null)
                    yield break;
                var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                    yield break;
                data = await ReadExactAsync(size, cancellationToken);
                await ReadLineAsync(cancellationToken);
            }
            else
            {
                data = await ReadSomeAsync(cancellationToken);
                if (data.Length == 0)
                    yield break;
            }
            foreach (var c in Encoding.UTF8.GetString(data))
            {
                if (c != '\n')
                {
                    line.Append(c);
                    continue;
                }
                if (line.Length > 6 && line.ToString(0, 6) == "data: ")
                    yield return JsonDocument.Parse(line.ToString(6, line.Length - 6)).RootElement.Clone();
                line.Clear();
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, at - _start).TrimEnd('\r');
                _start = at + 1;
                return line;
            }
            if (!await FillAsync(cancellationToken))
                return null;
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
                throw new EndOfStreamException();
            var take = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }
        return result;
    }

    private async Task<byte[]> ReadSomeAsync(CancellationToken cancellationToken)
    {
        if (_start == _end && !await FillAsync(cancellationToken))
            return [];
        var result = _buffer[_start.._end];
        _start = _end;
        return result;
    }
}
