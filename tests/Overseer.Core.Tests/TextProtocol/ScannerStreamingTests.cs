using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class ScannerStreamingTests
{
    public static TheoryData<string> Samples => [Question, Dependency, Error, Phase, PhaseStart];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Feed_SplitInTwoAtEveryPosition_ReadsTheSameBlockOnce(string sample)
    {
        var text = "Some prose first.\n" + sample + "and after.\n";
        var expected = Describe(Scan(text));
        expected.ShouldHaveSingleItem().ShouldNotContain("Malformed");

        for (var cut = 0; cut <= text.Length; cut++)
            Describe(Scan(text[..cut], text[cut..])).ShouldBe(expected, $"cut at {cut}");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Feed_OneCharacterAtATime_ReturnsTheBlockWithItsLastMarkerCharacter(string sample)
    {
        var scanner = new TextProtocolScanner();
        var text = sample.TrimEnd('\n');
        for (var i = 0; i < text.Length - 1; i++)
            scanner.Feed(text[i].ToString()).ShouldBeEmpty($"after char {i}");

        scanner.Feed(text[^1..]).ShouldHaveSingleItem().ShouldNotBeOfType<MalformedBlock>();
        scanner.Flush().ShouldBeEmpty();
    }

    [Fact]
    public void Feed_AllSamplesInOneChunk_ReturnsThemInOrder()
    {
        var found = new TextProtocolScanner().Feed("Intro\n" + Question + "middle text\n" + Dependency + Error + Phase);

        found.Select(b => b.GetType().Name).ShouldBe(["UserQuestionBlock", "DependencyRequestBlock", "ErrorBlock", "PhaseCompleteBlock"]);
    }

    [Fact]
    public void Feed_BlocksBackToBackOnOneLine_ReadsEach()
    {
        var found = Scan("[ERROR] message: a [/ERROR] === PHASE 2 COMPLETE ===\n[ERROR]message: b[/ERROR]");

        Describe(found).ShouldBe([
            "ErrorBlock { Type = , Message = a }",
            "PhaseCompleteBlock { Phase = 2 }",
            "ErrorBlock { Type = , Message = b }",
        ]);
    }

    [Fact]
    public void Feed_RandomChunkingOfAConversation_MatchesWholeText()
    {
        var text = string.Concat("Plan:\n```\n[ERROR]\nmessage: quoted\n[/ERROR]\n```\n", Question, "[ERROR]\ntype: x\n", Dependency, Phase, "=== PHASE 0 COMPLETE ===\n[USER_QUESTION]\nquestion: left open");
        var expected = Describe(Scan(text));
        expected.Length.ShouldBe(6);
        var random = new Random(3);

        for (var round = 0; round < 200; round++)
        {
            var chunks = new List<string>();
            for (var at = 0; at < text.Length;)
            {
                var size = Math.Min(random.Next(1, 12), text.Length - at);
                chunks.Add(text.Substring(at, size));
                at += size;
            }
            Describe(Scan([.. chunks])).ShouldBe(expected, $"round {round}");
        }
    }

    [Fact]
    public void Feed_TextOutsideBlocks_Ignored()
    {
        Scan("Hello.\nI will ask with [USER_QUESTION] later.\n[/ERROR] stray close\nquestion: not in a block\n[USER_QUESTIONS]\n[ERRORS]\n").ShouldBeEmpty();
    }

    [Fact]
    public void Flush_AfterATurn_ScannerStartsAfresh()
    {
        var scanner = new TextProtocolScanner();
        scanner.Feed("```\n[ERROR]\nmessage: a\n");
        scanner.Flush().ShouldBeEmpty();

        scanner.Feed(Error).ShouldHaveSingleItem().ShouldBeOfType<ErrorBlock>();
    }
}
