using System.Text;
using Overseer.Core.Agents.ClaudeCode;

namespace Overseer.Core.Tests;

public sealed class BoundedLineReaderTests
{
    private static async Task<List<LineResult>> ReadAllAsync(string text, int max)
    {
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), max);
        var lines = new List<LineResult>();
        while (true)
        {
            var line = await reader.ReadAsync(CancellationToken.None);
            if (line.IsEnd)
                return lines;
            lines.Add(line);
        }
    }

    [Fact]
    public async Task ReadAsync_Lines_SplitsOnNewlinesAndKeepsAFinalPartialLine()
    {
        var lines = await ReadAllAsync("{\"a\":1}\n{\"b\":2}\n{\"c\"", 1024);
        lines.Select(l => Encoding.UTF8.GetString(l.Line!)).ShouldBe(["{\"a\":1}", "{\"b\":2}", "{\"c\""]);
    }

    [Fact]
    public async Task ReadAsync_LineOverTheLimit_IsReportedWithItsSizeAndReadingGoesOn()
    {
        var big = new string('x', 300_000);
        var lines = await ReadAllAsync($"short\n{big}\nafter\n", 100_000);
        lines.Count.ShouldBe(3);
        Encoding.UTF8.GetString(lines[0].Line!).ShouldBe("short");
        lines[1].Line.ShouldBeNull();
        lines[1].OverlongBytes.ShouldBe(300_000);
        Encoding.UTF8.GetString(lines[2].Line!).ShouldBe("after");
    }
}
