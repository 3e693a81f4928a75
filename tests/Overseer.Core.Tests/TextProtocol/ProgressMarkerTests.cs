using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

/// <summary>Progress in the text protocol: <c>=== PHASE N START ===</c> and <c>[STEP …]</c> lines.</summary>
public sealed class ProgressMarkerTests
{
    [Theory]
    [InlineData("=== PHASE 1 START ===", 1, null, null)]
    [InlineData("=== phase 2 of 5 started ===", 2, 5, null)]
    [InlineData("=== PHASE 3 START: Build the API ===", 3, null, "Build the API")]
    [InlineData("Now: === PHASE 2 OF 3 START:   Tests   === (go)", 2, 3, "Tests")]
    [InlineData("=== PHASE 4 START: Make it complete ===", 4, null, "Make it complete")]
    public void Feed_PhaseStart_ReadsTheNumberTheTotalAndTheName(string line, int phase, int? total, string? name)
    {
        Single<PhaseStartBlock>(line + "\n").ShouldBe(new PhaseStartBlock(phase, total, name));
    }

    [Theory]
    [InlineData("=== PHASE 0 START ===", "positive integer")]
    [InlineData("=== PHASE 5 OF 4 START ===", "not one of 4 phases")]
    public void Feed_PhaseStartOutOfRange_IsMalformedSayingWhy(string line, string problem)
    {
        var block = Single<MalformedBlock>(line + "\n");
        (block.Kind, block.Raw).ShouldBe(("PHASE", line));
        block.Problem.ShouldContain(problem);
    }

    [Fact]
    public void Feed_PhaseStartQuoted_IsNotRead()
    {
        Scan("Write `=== PHASE 1 START ===` when you begin.\n").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("[STEP 40%] Writing the schema", 40, null, null, "Writing the schema")]
    [InlineData("[step 3/4] tests", 75, 3, 4, "tests")]
    [InlineData("  [ STEP 100 % ]", 100, null, null, null)]
    [InlineData("[STEP 1/3]   the first of three  ", 33, 1, 3, "the first of three")]
    public void Feed_StepLine_ReadsThePercentageAndTheRestOfTheLine(string line, int percent, int? step, int? steps, string? text)
    {
        Single<StepBlock>(line + "\nmore prose\n").ShouldBe(new StepBlock(percent, step, steps, text));
    }

    [Theory]
    [InlineData("[STEP 140%] too far", "140% is more than 100%")]
    [InlineData("[STEP 5/4] over", "step 5 is not one of 4 steps")]
    [InlineData("[STEP 0/4] none", "step 0 is not one of 4 steps")]
    public void Feed_StepOutOfRange_IsMalformedSayingWhy(string line, string problem)
    {
        var block = Single<MalformedBlock>(line + "\n");
        block.Kind.ShouldBe("STEP");
        block.Problem.ShouldBe(problem + ".");
    }

    [Theory]
    [InlineData("Then [STEP 40%] is what I will print.\n")]
    [InlineData("```\n[STEP 40%] in an example\n```\n")]
    [InlineData("[STEP forty] not a number\n")]
    public void Feed_NotAStepLine_FindsNothing(string text)
    {
        Scan(text).ShouldBeEmpty();
    }

    [Fact]
    public void Feed_StepInsideAnOpenBlock_IsPartOfTheBlock()
    {
        Single<ErrorBlock>("[ERROR]\nmessage: broke\n[STEP 50%] half\n[/ERROR]\n").Message.ShouldStartWith("broke");
    }

    [Fact]
    public void Feed_StepLineSplitAtEveryPosition_ReadsTheSameStepOnce()
    {
        const string Text = "Working.\n[STEP 2/5] Migrating the tables\n=== PHASE 2 START: Review ===\n";
        var expected = Describe(Scan(Text));
        expected.ShouldBe(["StepBlock { Percent = 40, Step = 2, Steps = 5, Text = Migrating the tables }", "PhaseStartBlock { Phase = 2, Total = , Name = Review }"]);
        for (var cut = 0; cut <= Text.Length; cut++)
            Describe(Scan(Text[..cut], Text[cut..])).ShouldBe(expected, $"cut at {cut}");
    }

    [Fact]
    public void Feed_StepLine_IsReturnedWhenItsLineEnds_OrAtTheTurnsEnd()
    {
        var scanner = new TextProtocolScanner();
        scanner.Feed("[STEP 10%] sta").ShouldBeEmpty();
        scanner.Feed("rting").ShouldBeEmpty("the text goes on until the line ends");
        scanner.Feed("\n").ShouldHaveSingleItem().ShouldBe(new StepBlock(10, null, null, "starting"));
        scanner.Feed("[STEP 20%] last words").ShouldBeEmpty();
        scanner.Flush().ShouldHaveSingleItem().ShouldBe(new StepBlock(20, null, null, "last words"));
    }

    [Fact]
    public void Feed_LongStepText_KeepsItsStartAndMemoryStaysBounded()
    {
        var block = Single<StepBlock>("[STEP 5%] " + new string('x', 100_000) + "\n");
        block.Text!.Length.ShouldBe(TextProtocolScanner.MaxStepText - 1, "the space after the marker is trimmed away");
    }
}
