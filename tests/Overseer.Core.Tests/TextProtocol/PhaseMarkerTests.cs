using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class PhaseMarkerTests
{
    [Theory]
    [InlineData("=== PHASE 1 COMPLETE ===", 1)]
    [InlineData("=== phase 12 complete ===", 12)]
    [InlineData("===PHASE 3 COMPLETE===", 3)]
    [InlineData("====  Phase   4   Complete  ====", 4)]
    [InlineData("All done. === PHASE 2 COMPLETE === Waiting for review.", 2)]
    [InlineData("=== PHASE 007 COMPLETE ===", 7)]
    public void Feed_PhaseMarker_ReadsTheNumber(string line, int phase)
    {
        Single<PhaseCompleteBlock>(line + "\n").Phase.ShouldBe(phase);
    }

    [Theory]
    [InlineData("=== PHASE 0 COMPLETE ===", "'0'")]
    [InlineData("=== PHASE -1 COMPLETE ===", "'-1'")]
    [InlineData("=== PHASE N COMPLETE ===", "'N'")]
    [InlineData("=== PHASE two COMPLETE ===", "'two'")]
    [InlineData("=== PHASE 1.5 COMPLETE ===", "'1.5'")]
    [InlineData("=== PHASE +2 COMPLETE ===", "'+2'")]
    [InlineData("=== PHASE 1 2 COMPLETE ===", "'1 2'")]
    [InlineData("=== PHASE COMPLETE ===", "''")]
    [InlineData("=== PHASE 99999999999 COMPLETE ===", "'99999999999'")]
    public void Feed_BadPhaseNumber_IsMalformedNamingIt(string line, string quoted)
    {
        var block = Single<MalformedBlock>(line + "\n");

        block.Kind.ShouldBe("PHASE");
        block.Raw.ShouldBe(line);
        block.Problem.ShouldContain(quoted);
        block.Problem.ShouldContain("positive integer");
    }

    [Theory]
    [InlineData("== PHASE 1 COMPLETE ==")]
    [InlineData("PHASE 1 COMPLETE")]
    [InlineData("=== PHASE 1 DONE ===")]
    [InlineData("Print `=== PHASE 1 COMPLETE ===` when a phase is done.")]
    public void Feed_NotAPhaseMarker_FindsNothing(string line)
    {
        Scan(line + "\n").ShouldBeEmpty();
    }

    [Fact]
    public void Feed_TwoMarkersOnOneLine_ReadsBoth()
    {
        Describe(Scan("=== PHASE 1 COMPLETE === and === PHASE 2 COMPLETE ===\n"))
            .ShouldBe(["PhaseCompleteBlock { Phase = 1 }", "PhaseCompleteBlock { Phase = 2 }"]);
    }

    [Fact]
    public void Feed_MarkerWithoutNewline_ReturnedByThatFeed()
    {
        var scanner = new TextProtocolScanner();

        scanner.Feed("=== PHASE 3 COMP").ShouldBeEmpty();
        scanner.Feed("LETE ===").ShouldHaveSingleItem().ShouldBe(new PhaseCompleteBlock(3));
        scanner.Flush().ShouldBeEmpty();
    }
}
