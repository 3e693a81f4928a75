using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class ScannerStructureTests
{
    [Fact]
    public void Feed_BlockStartedInsideAnOpenBlock_OuterMalformedInnerRead()
    {
        var found = Scan("[USER_QUESTION]\nquestion: Which?\n" + Dependency + "[/USER_QUESTION]\n");

        found.Count.ShouldBe(2);
        var outer = found[0].ShouldBeOfType<MalformedBlock>();
        outer.Kind.ShouldBe("USER_QUESTION");
        outer.Raw.ShouldBe("question: Which?");
        outer.Problem.ShouldContain("[DEPENDENCY_REQUEST] started inside it");
        found[1].ShouldBeOfType<DependencyRequestBlock>().Name.ShouldBe("OPENAI_API_KEY");
    }

    [Fact]
    public void Feed_SameKindNested_OuterMalformedInnerRead()
    {
        var found = Scan("[ERROR]\nmessage: outer\n[ERROR]\nmessage: inner\n[/ERROR]\n[/ERROR]\n");

        Describe(found).ShouldBe([
            "MalformedBlock { Kind = ERROR, Raw = message: outer, Problem = [/ERROR] missing: [ERROR] started inside it. }",
            "ErrorBlock { Type = , Message = inner }",
        ]);
    }

    [Fact]
    public void Feed_PhaseMarkerInsideAnOpenBlock_OuterMalformedPhaseRead()
    {
        var found = Scan("[ERROR]\nmessage: oops\n=== PHASE 2 COMPLETE ===\n[/ERROR]\n");

        found[0].ShouldBeOfType<MalformedBlock>().Problem.ShouldContain("phase marker came first");
        found[1].ShouldBe(new PhaseCompleteBlock(2));
        found.Count.ShouldBe(2);
    }

    [Fact]
    public void Flush_NestedAndBothUnterminated_BothMalformedInOrder()
    {
        var found = Scan("[USER_QUESTION]\nquestion: a\n  [ERROR]\nmessage: b");

        Describe(found).ShouldBe([
            "MalformedBlock { Kind = USER_QUESTION, Raw = question: a, Problem = [/USER_QUESTION] missing: [ERROR] started inside it. }",
            "MalformedBlock { Kind = ERROR, Raw = message: b, Problem = not closed: the turn ended before [/ERROR]. }",
        ]);
    }

    [Fact]
    public void Feed_NestedBlockThatIsItselfMalformed_BothReported()
    {
        var found = Scan("[ERROR]\nmessage: a\n[DEPENDENCY_REQUEST]\nname: K\n[/DEPENDENCY_REQUEST]\n");

        found.Select(b => ((MalformedBlock)b).Kind).ShouldBe(["ERROR", "DEPENDENCY_REQUEST"]);
        ((MalformedBlock)found[1]).Problem.ShouldContain("missing type");
    }

    [Fact]
    public void Feed_ClosedByAnotherKind_IsMalformed()
    {
        var block = Single<MalformedBlock>("[ERROR]\nmessage: oops\n[/USER_QUESTION]\n");

        block.ShouldBe(new MalformedBlock("ERROR", "message: oops", "closed by [/USER_QUESTION] instead of [/ERROR]."));
    }

    [Theory]
    [InlineData("[USER_QUESTION]\nquestion: Which?\noptions: a | b", "USER_QUESTION", "question: Which?\noptions: a | b")]
    [InlineData("[DEPENDENCY_REQUEST]\ntype: api_key\nname: K\n", "DEPENDENCY_REQUEST", "type: api_key\nname: K")]
    [InlineData("[ERROR]\nmessage: Build failed\n[/ERR", "ERROR", "message: Build failed\n[/ERR")]
    [InlineData("[ERROR]", "ERROR", "")]
    public void Flush_UnterminatedBlock_IsMalformedNotClosed(string text, string kind, string raw)
    {
        var scanner = new TextProtocolScanner();
        scanner.Feed(text).ShouldBeEmpty();

        var block = scanner.Flush().ShouldHaveSingleItem().ShouldBeOfType<MalformedBlock>();

        block.Kind.ShouldBe(kind);
        block.Raw.ShouldBe(raw);
        block.Problem.ShouldStartWith("not closed");
    }

    [Fact]
    public void Flush_PartialMarkerOnly_FindsNothing()
    {
        Scan("Let me ask: \n[USER_QUES").ShouldBeEmpty();
        Scan("=== PHASE 1 COMPLE").ShouldBeEmpty();
    }

    [Fact]
    public void Feed_MarkersInsideCodeFences_Ignored()
    {
        var text = "Use this format:\n```text\n" + Question + Phase + "[ERROR]\n```\n~~~~\n" + Dependency + "~~~\nstill fenced " + Phase + "~~~~\n";

        Scan(text).ShouldBeEmpty();
    }

    [Fact]
    public void Feed_AfterAFenceCloses_MarkersCountAgain()
    {
        var found = Scan("```\n" + Error + "```\n" + Error + "  ```csharp\nvar x = \"[/ERROR]\";\n   ```  \n" + Phase);

        Describe(found).ShouldBe(["ErrorBlock { Type = execution_failed, Message = Build failed }", "PhaseCompleteBlock { Phase = 1 }"]);
    }

    [Fact]
    public void Feed_InlineBackticksAreNotAFence_BlockRead()
    {
        Single<ErrorBlock>("``not a fence``\n" + Error).Message.ShouldBe("Build failed");
    }

    [Fact]
    public void Feed_BlockLongerThanTheLimit_ReportedOnceAndDropped()
    {
        var scanner = new TextProtocolScanner();
        scanner.Feed("[ERROR]\nmessage: start\n").ShouldBeEmpty();
        var line = new string('x', 1000) + "\n";
        var found = new List<ProtocolBlock>();
        for (var i = 0; i < 70; i++)
            found.AddRange(scanner.Feed(line));

        var block = found.ShouldHaveSingleItem().ShouldBeOfType<MalformedBlock>();
        block.Kind.ShouldBe("ERROR");
        block.Raw.Length.ShouldBe(TextProtocolScanner.MaxRawInMalformed);
        block.Raw.ShouldStartWith("message: start\nxxx");
        block.Problem.ShouldContain("longer than 65536");
        scanner.Feed("[/ERROR]\n" + Phase).ShouldHaveSingleItem().ShouldBe(new PhaseCompleteBlock(1));
        scanner.Flush().ShouldBeEmpty();
    }

    [Fact]
    public void Feed_HugeLineWithoutNewlineInsideABlock_StillBounded()
    {
        var scanner = new TextProtocolScanner();
        scanner.Feed("[ERROR]\n").ShouldBeEmpty();
        var found = new List<ProtocolBlock>();
        for (var i = 0; i < 100; i++)
            found.AddRange(scanner.Feed(new string(i % 2 == 0 ? ' ' : 'y', 1000)));

        found.ShouldHaveSingleItem().ShouldBeOfType<MalformedBlock>().Problem.ShouldContain("longer than");
        scanner.Flush().ShouldBeEmpty();
    }

    [Fact]
    public void Feed_HugeTextOutsideBlocks_FindsAMarkerAtItsEnd()
    {
        var scanner = new TextProtocolScanner();
        for (var i = 0; i < 200; i++)
            scanner.Feed(new string('=', 1000)).ShouldBeEmpty();

        scanner.Feed(" PHASE 5 COMPLETE ===").ShouldHaveSingleItem().ShouldBe(new PhaseCompleteBlock(5));
    }
}
