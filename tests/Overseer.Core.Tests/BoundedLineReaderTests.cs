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
    public async Task TryReadBuffered_AfterARead_GivesTheOtherCompleteLinesOfThatReadAndKeepsThePartialOne()
    {
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes("one\ntwo\nthree\nfou")), 1024);
        var first = await reader.ReadAsync(CancellationToken.None);
        var buffered = new List<string>();
        while (reader.TryReadBuffered(out var line))
            buffered.Add(Encoding.UTF8.GetString(line.Line!));
        var last = await reader.ReadAsync(CancellationToken.None);

        Encoding.UTF8.GetString(first.Line!).ShouldBe("one");
        buffered.ShouldBe(["two", "three"]);
        Encoding.UTF8.GetString(last.Line!).ShouldBe("fou");
        (await reader.ReadAsync(CancellationToken.None)).IsEnd.ShouldBeTrue();
        reader.TryReadBuffered(out _).ShouldBeFalse();
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

    [Fact]
    public async Task ReadAsync_KeepEnds_AnOverlongLineKeepsItsHeadAndTailAndTheSize()
    {
        var text = "HEAD" + new string('x', 1_000_000) + "TAIL\nnext\n";
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 1024, keepEnds: 8);

        var first = await reader.ReadAsync(CancellationToken.None);
        first.Line.ShouldBeNull();
        first.OverlongBytes.ShouldBe(1_000_008);
        Encoding.UTF8.GetString(first.Head!).ShouldBe("HEADxxxx");
        Encoding.UTF8.GetString(first.Tail!).ShouldBe("xxxxTAIL");
        Encoding.UTF8.GetString((await reader.ReadAsync(CancellationToken.None)).Line!).ShouldBe("next");
    }

    [Fact]
    public async Task ReadAsync_KeepEndsWithALongFirstChunk_KeepsTheHeadFromThatChunk()
    {
        // The whole line arrives in one read, so the head comes from the piece, not the buffer.
        var text = "0123456789" + new string('y', 5000) + "end\n";
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 256, keepEnds: 10);

        var line = await reader.ReadAsync(CancellationToken.None);
        Encoding.UTF8.GetString(line.Head!).ShouldBe("0123456789");
        Encoding.UTF8.GetString(line.Tail!).ShouldBe("yyyyyyyend");
        (await reader.ReadAsync(CancellationToken.None)).IsEnd.ShouldBeTrue();
    }
}
