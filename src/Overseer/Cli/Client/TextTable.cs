namespace Overseer.Cli.Client;

/// <summary>Left-aligned columns padded to their widest cell, two spaces apart.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output, Ansi ansi)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(ansi.Bold(Line(headers)));
        foreach (var row in _rows)
            output.WriteLine(Line(row));
    }
}
