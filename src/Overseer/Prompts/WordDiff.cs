using System.Text.RegularExpressions;

namespace Overseer.Prompts;

/// <summary>
/// What changed from one text to another, word by word: the longest common subsequence of their
/// words, whitespace runs and punctuation marks, after the common start and end are set aside.
/// Joining the <c>equal</c> and <c>delete</c> spans gives the original back; <c>equal</c> and
/// <c>insert</c> give the new text. Past a size where word-level work would be slow, it compares
/// lines instead, and past that it says "all replaced".
/// </summary>
public static partial class WordDiff
{
    public const string Equal = "equal";
    public const string Insert = "insert";
    public const string Delete = "delete";

    /// <summary>Cells of the LCS table beyond which a finer diff is not attempted (16 MB of ints).</summary>
    private const long MaxCells = 4_000_000;

    [GeneratedRegex(@"\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex(@"[^\n]*\n|[^\n]+", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    public static IReadOnlyList<DiffSpan> Compute(string before, string after)
    {
        var spans = Diff(Tokens(Token(), before), Tokens(Token(), after))
            ?? Diff(Tokens(Line(), before), Tokens(Line(), after))
            ?? [new DiffSpan(Delete, before), new DiffSpan(Insert, after)];
        return Merge(spans.Where(s => s.Text.Length > 0));
    }

    private static string[] Tokens(Regex pattern, string text) => [.. pattern.Matches(text).Select(m => m.Value)];

    private static List<DiffSpan>? Diff(string[] a, string[] b)
    {
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
            start++;
        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }
        var n = endA - start;
        var m = endB - start;
        if ((long)(n + 1) * (m + 1) > MaxCells)
            return null;
        var spans = new List<DiffSpan>();
        if (start > 0)
            spans.Add(new DiffSpan(Equal, string.Concat(a[..start])));
        // lcs[i, j]: the longest common subsequence of a[start+i..endA] and b[start+j..endB].
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        }
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                spans.Add(new DiffSpan(Equal, a[start + x]));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                spans.Add(new DiffSpan(Insert, b[start + y]));
                y++;
            }
            else
            {
                spans.Add(new DiffSpan(Delete, a[start + x]));
                x++;
            }
        }
        if (endA < a.Length)
            spans.Add(new DiffSpan(Equal, string.Concat(a[endA..])));
        return spans;
    }

    /// <summary>Adjacent spans of one kind become one; within a change, what was deleted comes before what was inserted.</summary>
    private static List<DiffSpan> Merge(IEnumerable<DiffSpan> spans)
    {
        var merged = new List<DiffSpan>();
        var deleted = new System.Text.StringBuilder();
        var inserted = new System.Text.StringBuilder();
        void Flush()
        {
            if (deleted.Length > 0)
                merged.Add(new DiffSpan(Delete, deleted.ToString()));
            if (inserted.Length > 0)
                merged.Add(new DiffSpan(Insert, inserted.ToString()));
            deleted.Clear();
            inserted.Clear();
        }
        foreach (var span in spans)
        {
            if (span.Op == Delete)
            {
                deleted.Append(span.Text);
                continue;
            }
            if (span.Op == Insert)
            {
                inserted.Append(span.Text);
                continue;
            }
            Flush();
            if (merged.Count > 0 && merged[^1].Op == Equal)
                merged[^1] = new DiffSpan(Equal, merged[^1].Text + span.Text);
            else
                merged.Add(span);
        }
        Flush();
        return merged;
    }
}
