namespace Overseer.Cli.Client;

/// <summary>
/// Left-aligned columns padded to their widest cell, two spaces apart, fitted to a width: when
/// the rows are wider, the columns named by <see cref="Flexible"/> give up characters in the order
/// named, and their cut cells end in "…". A table that still does not fit is printed as it is.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const int Gap = 2;
    private readonly List<string[]> _rows = [];
    private readonly List<int> _flexible = [];

    /// <summary>Columns that may be cut to fit, first named first, never below their header's width.</summary>
    public TextTable Flexible(params string[] names)
    {
        foreach (var name in names)
            _flexible.Add(Array.IndexOf(headers, name) is >= 0 and var i ? i : throw new ArgumentException($"no column '{name}'", nameof(names)));
        return this;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output, Ansi ansi, int width)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var over = widths.Sum() + Gap * (widths.Length - 1) - width;
        foreach (var i in _flexible.TakeWhile(_ => over > 0))
        {
            var cut = Math.Min(over, widths[i] - headers[i].Length);
            widths[i] -= cut;
            over -= cut;
        }
        string Line(string[] cells) => string.Join(new string(' ', Gap), cells.Select((c, i) =>
        {
            var cell = c.Length <= widths[i] ? c : c[..(widths[i] - 1)] + "…";
            return i == cells.Length - 1 ? cell : cell.PadRight(widths[i]);
        })).TrimEnd();
        output.WriteLine(ansi.Bold(Line(headers)));
        foreach (var row in _rows)
            output.WriteLine(Line(row));
    }
}
