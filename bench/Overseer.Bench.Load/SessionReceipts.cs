namespace Overseer.Bench.Load;

/// <summary>
/// Which agent.text texts ("1".."expected") one subscriber has seen for one session, and how often.
/// Written only by its subscriber; <see cref="Distinct"/> is also read by the waiting main loop.
/// </summary>
public sealed class SessionReceipts(int expected)
{
    private readonly byte[] _counts = new byte[expected + 1];
    private int _distinct;

    public int Expected => expected;

    public int Distinct => Volatile.Read(ref _distinct);

    public int Duplicates { get; private set; }

    /// <summary>Texts that are not a number in 1..expected (for example another tool's sessions).</summary>
    public int Unexpected { get; private set; }

    public void Record(int text)
    {
        if ((uint)(text - 1) >= (uint)expected)
        {
            Unexpected++;
            return;
        }

        var seen = _counts[text];
        if (seen == 0)
            Volatile.Write(ref _distinct, _distinct + 1);
        else
            Duplicates++;
        if (seen < byte.MaxValue)
            _counts[text] = (byte)(seen + 1);
    }

    /// <summary>The texts never seen, as ranges ("902-1000, 1007"); empty when none is missing.</summary>
    public string MissingRanges()
    {
        var ranges = new List<string>();
        var start = 0;
        for (var i = 1; i <= expected + 1; i++)
        {
            var missing = i <= expected && _counts[i] == 0;
            if (missing && start == 0)
                start = i;
            else if (!missing && start != 0)
            {
                ranges.Add(start == i - 1 ? $"{start}" : $"{start}-{i - 1}");
                start = 0;
            }
        }
        return string.Join(", ", ranges);
    }
}
